"""The `partners` command line."""
