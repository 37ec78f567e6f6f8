//! Hostile input files, built by the byte: what the importers must refuse within their limits,
//! whichever entry point (the transfer crate, the CLI) reads them.

/// A serialized `HashMap<String, String>` whose first key is one `len`-byte string and whose
/// other keys and values (`pairs` entries in all) are all `TC_REFERENCE`s to it: `len` bytes
/// of file that a copying reader expands to `2 × pairs × len`.
pub fn freeotp_reference_bomb(len: usize, pairs: u32) -> Vec<u8> {
    let mut out = vec![0xAC, 0xED, 0x00, 0x05, 0x73, 0x72];
    let class = b"java.util.HashMap";
    out.extend_from_slice(&(class.len() as u16).to_be_bytes());
    out.extend_from_slice(class);
    out.extend_from_slice(&0x0507_DAC1_C316_60D1u64.to_be_bytes()); // serialVersionUID
    out.push(0x03); // SC_WRITE_METHOD | SC_SERIALIZABLE
    out.extend_from_slice(&2u16.to_be_bytes());
    for (code, name) in [(b'F', &b"loadFactor"[..]), (b'I', &b"threshold"[..])] {
        out.push(code);
        out.extend_from_slice(&(name.len() as u16).to_be_bytes());
        out.extend_from_slice(name);
    }
    out.push(0x78); // TC_ENDBLOCKDATA
    out.push(0x70); // TC_NULL: no superclass
    out.extend_from_slice(&0.75f32.to_be_bytes());
    out.extend_from_slice(&12u32.to_be_bytes());
    out.extend_from_slice(&[0x77, 0x08]); // TC_BLOCKDATA, 8 bytes
    out.extend_from_slice(&1024u32.to_be_bytes());
    out.extend_from_slice(&pairs.to_be_bytes());
    // Handles: 0 the class descriptor, 1 the map, 2 the long string.
    out.push(0x7C); // TC_LONGSTRING
    out.extend_from_slice(&(len as u64).to_be_bytes());
    out.resize(out.len() + len, b'a');
    let reference = [0x71, 0x00, 0x7E, 0x00, 0x02];
    out.extend_from_slice(&reference); // the first value
    for _ in 1..pairs {
        out.extend_from_slice(&reference);
        out.extend_from_slice(&reference);
    }
    out.push(0x78);
    out
}

/// A PNG whose header declares `width × height` (with valid CRCs) followed by a tiny IDAT: a
/// decompression bomb's shape without its size, for the image readers' pixel caps.
pub fn png_declaring(width: u32, height: u32) -> Vec<u8> {
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    let mut chunk = |kind: &[u8], data: &[u8]| {
        png.extend_from_slice(&(data.len() as u32).to_be_bytes());
        let mut body = kind.to_vec();
        body.extend_from_slice(data);
        png.extend_from_slice(&body);
        png.extend_from_slice(&crc32fast::hash(&body).to_be_bytes());
    };
    let mut ihdr = Vec::new();
    ihdr.extend_from_slice(&width.to_be_bytes());
    ihdr.extend_from_slice(&height.to_be_bytes());
    ihdr.extend_from_slice(&[8, 0, 0, 0, 0]); // 8-bit greyscale
    chunk(b"IHDR", &ihdr);
    chunk(b"IDAT", &[0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
    chunk(b"IEND", &[]);
    png
}
