"""The benchmark harness of taskweb: seed, floor, load driver and report (``make bench``)."""
