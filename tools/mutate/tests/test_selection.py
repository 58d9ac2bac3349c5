import unittest

from mutate.mutants import Mutant
from mutate.selection import matches, narrow, parse_shard, sample, shard


def population(n=200):
    return [Mutant(f"engine/f{k % 7}.cpp", k, "ror", 0, "", ()) for k in range(n)]


class SampleTest(unittest.TestCase):
    def test_deterministic_and_in_id_order(self):
        ms = population()
        a, b = sample(ms, 15, "1"), sample(list(reversed(ms)), 15, "1")
        self.assertEqual(len(a), 15)
        self.assertEqual({m.id for m in a}, {m.id for m in b})
        self.assertEqual(a, [m for m in ms if m in a])

    def test_seed_changes_the_sample_and_bigger_samples_nest(self):
        ms = population()
        self.assertNotEqual(sample(ms, 15, "1"), sample(ms, 15, "2"))
        small, big = sample(ms, 10, "7"), sample(ms, 40, "7")
        self.assertTrue({m.id for m in small} <= {m.id for m in big})

    def test_sample_larger_than_population(self):
        self.assertEqual(len(sample(population(5), 50, "1")), 5)


class ShardTest(unittest.TestCase):
    def test_shards_are_disjoint_and_cover(self):
        ms = population(101)
        shards = [shard(ms, i, 4) for i in range(4)]
        ids = [m.id for s in shards for m in s]
        self.assertEqual(len(ids), len(set(ids)))
        self.assertEqual(set(ids), {m.id for m in ms})
        self.assertEqual([len(s) for s in shards], [26, 25, 25, 25])

    def test_sample_then_shard(self):
        ms = population()
        parts = [narrow(ms, 30, "3", f"{i}/3") for i in range(3)]
        self.assertEqual(sorted(m.id for p in parts for m in p),
                         sorted(m.id for m in sample(ms, 30, "3")))

    def test_parse_shard(self):
        self.assertEqual(parse_shard("0/4"), (0, 4))
        for bad in ("4/4", "1/0", "a/b", "1-4", ""):
            with self.assertRaises(ValueError):
                parse_shard(bad)


class IdsTest(unittest.TestCase):
    def test_ids_select_exactly_those_and_unknown_ids_are_refused(self):
        ms = population(20)
        chosen = narrow(ms, ids=[ms[3].id, ms[11].id])
        self.assertEqual([m.id for m in chosen], [ms[3].id, ms[11].id])
        with self.assertRaises(ValueError):
            narrow(ms, ids=["engine/none.cpp:1:ror:0"])

    def test_not_in_leaves_out_ids_already_run_before_sharding(self):
        ms = population(20)
        done = {ms[0].id, ms[5].id, "engine/gone.cpp:1:ror:0"}
        left = narrow(ms, shard_text="0/1", left_out=done)
        self.assertEqual([m.id for m in left], [m.id for m in ms if m.id not in done])
        halves = [narrow(ms, shard_text=f"{i}/2", left_out=done) for i in range(2)]
        self.assertEqual(sorted(m.id for h in halves for m in h), sorted(m.id for m in left))


class GlobTest(unittest.TestCase):
    def test_double_star_matches_any_depth(self):
        self.assertTrue(matches("engine/money.cpp", ["engine/**/*.cpp"]))
        self.assertTrue(matches("engine/store/db.cpp", ["engine/**/*.cpp"]))
        self.assertFalse(matches("engine/store/db.h", ["engine/**/*.cpp"]))
        self.assertFalse(matches("engine/store/db.cpp", ["engine/*.cpp"]))


if __name__ == "__main__":
    unittest.main()
