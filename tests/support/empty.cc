// Keeps af_test_support non-empty before any shared test helper exists.
