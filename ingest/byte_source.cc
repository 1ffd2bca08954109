// byte_source.cc: placeholder, written next.
