"""`qualcode corpus`: list the interviews of a corpus (filled in by the reader's issue)."""
