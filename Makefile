.PHONY: run test build bench bench-search bench-http bench-enroll bench-close clean

run:
	swift run navigator serve --demo

test:
	bash scripts/test.sh

build:
	swift build

bench: bench-search bench-http bench-enroll

bench-search:
	bash bench/search.sh

bench-http:
	bash bench/run.sh

bench-enroll:
	bash bench/enroll.sh

bench-close:
	bash bench/close.sh

clean:
	rm -rf .build navigator.sqlite navigator.sqlite-wal navigator.sqlite-shm
