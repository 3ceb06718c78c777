//! The WARC reader, on any (uncompressed) bytes: response records or an error naming the
//! record, never a panic.
#![no_main]

use govscore::archive::read_warc;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(records) = read_warc(data, "fuzz.warc") {
        for r in records {
            assert!(!r.url.is_empty());
        }
    }
});
