.PHONY: run test build bench clean

run:
	swift run navigator serve --demo

test:
	bash scripts/test.sh

build:
	swift build

bench:
	bash bench/run.sh

clean:
	rm -rf .build navigator.sqlite navigator.sqlite-wal navigator.sqlite-shm
