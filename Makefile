# Developer shortcuts; CI runs `.ci/run` (the README's test command).
PYTHON ?= python
export HF_HUB_OFFLINE = 1

.PHONY: test properties bench

test:
	$(PYTHON) -m pytest -q

properties:  ## the full property-based run: 10,000 hostile texts through the whole pipeline
	HYPEDETECT_PROPERTY_EXAMPLES=10000 $(PYTHON) -m pytest -q -m properties tests/test_properties.py

bench:
	$(PYTHON) bench/bench_pipeline.py
