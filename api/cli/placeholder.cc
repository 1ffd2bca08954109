// placeholder.cc
