// source.cc: placeholder, written next.
