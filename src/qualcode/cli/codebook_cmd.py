"""`qualcode codebook ...`: validate, show, export and check a codebook."""
