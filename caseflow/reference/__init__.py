"""Reference lists and organisations: the codes every interface accepts."""
