// placeholder_test.cc
