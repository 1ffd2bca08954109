// corpus_test.cc: placeholder, written next.
