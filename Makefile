.PHONY: setup run test lint

setup:
	bash tools/setup.sh

run:
	bash tools/run.sh

test:
	bash tools/test.sh

lint:
	bash tools/lint.sh
