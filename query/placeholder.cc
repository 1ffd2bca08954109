// placeholder.cc: removed once the query sources land.
