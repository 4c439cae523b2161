"""Support for the tests and benchmarks (not part of the installed package): real hub and
office processes (:mod:`testkit.hub`), signed packages from the test PKI."""
