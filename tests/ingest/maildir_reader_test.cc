// maildir_reader_test.cc: placeholder, written next.
