"""Python utilities of the vai compiler (see vai.graphdef)."""
