// placeholder.cc: removed once the index sources land.
