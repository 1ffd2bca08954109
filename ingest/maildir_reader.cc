// maildir_reader.cc: placeholder, written next.
