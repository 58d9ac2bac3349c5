"""tools/mutate: mutation testing of engine/ against the Reckon kill suite (docs/mutation.md)."""
