//! Functional tests of the umkoin binaries; the tests are in tests/functional/.
