"""`qualcode code` and `qualcode segments`: code a corpus and review the codings."""
