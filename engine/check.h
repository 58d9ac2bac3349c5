#pragma once
// Always-on invariant checks for the engine and the simulator. Unlike assert(), these
// stay in every build: a broken invariant in a money path must stop the run loudly.

#include <cstdio>
#include <cstdlib>

#define RECKON_CHECK(cond, what)                                                          \
  do {                                                                                    \
    if (!(cond)) {                                                                        \
      std::fprintf(stderr, "reckon: invariant broken: %s (%s) at %s:%d\n", (what), #cond, \
                   __FILE__, __LINE__);                                                   \
      std::abort();                                                                       \
    }                                                                                     \
  } while (0)
