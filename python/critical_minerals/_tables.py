"""Tables as pandas DataFrames: which rows of each result make its table."""
