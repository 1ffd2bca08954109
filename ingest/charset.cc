// charset.cc: placeholder, written next.
