// live_stress_test.cc: placeholder, written next.
