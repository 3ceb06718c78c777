//! The charset prescan and decoder, on any bytes, with and without an HTTP `Content-Type`
//! and a host hint: the first byte picks which.
#![no_main]

use govscore::charset::decode_html;
use libfuzzer_sys::fuzz_target;

const TYPES: [Option<&str>; 4] = [
    None,
    Some("text/html"),
    Some("text/html; charset=gbk"),
    Some("text/html; charset=\"utf-8\"; charset=big5"),
];

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let content_type = TYPES[usize::from(pick) % TYPES.len()];
    let host = (pick & 4 != 0).then_some("www.example.gov.cn");
    let decoded = decode_html(body, content_type, host);
    // Whatever came in, what comes out is text.
    let _ = decoded.text.len();
});
