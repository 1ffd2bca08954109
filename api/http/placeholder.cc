// placeholder.cc: replaced by the HTTP service sources.
