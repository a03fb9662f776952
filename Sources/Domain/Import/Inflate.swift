/// DEFLATE (RFC 1951) decompression and reading of ZIP archives: enough to read XLSX files without a
/// C library. Malformed input throws; it never reads out of bounds.
public enum InflateError: Error, Sendable, Equatable {
    case truncated
    case invalidBlockType
    case invalidStoredLength
    case invalidCode
    case invalidDistance
    case tooLarge
}

public enum Inflate {
    private struct Huffman {
        var count = [Int](repeating: 0, count: 16)
        var symbol: [Int]

        init(lengths: [Int]) throws {
            symbol = [Int](repeating: 0, count: lengths.count)
            for l in lengths { count[l] += 1 }
            count[0] = 0
            var offs = [Int](repeating: 0, count: 16)
            for len in 1..<16 { offs[len] = offs[len - 1] + count[len - 1] }
            for (sym, l) in lengths.enumerated() where l != 0 {
                symbol[offs[l]] = sym
                offs[l] += 1
            }
        }
    }

    private struct Reader {
        let data: [UInt8]
        var pos = 0
        var bitBuf = 0
        var bitCnt = 0

        mutating func bits(_ need: Int) throws -> Int {
            var val = bitBuf
            while bitCnt < need {
                guard pos < data.count else { throw InflateError.truncated }
                val |= Int(data[pos]) << bitCnt
                pos += 1
                bitCnt += 8
            }
            bitBuf = val >> need
            bitCnt -= need
            return val & ((1 << need) - 1)
        }

        mutating func decode(_ h: Huffman) throws -> Int {
            var code = 0, first = 0, index = 0
            for len in 1..<16 {
                code |= try bits(1)
                let count = h.count[len]
                if code - count < first { return h.symbol[index + (code - first)] }
                index += count
                first += count
                first <<= 1
                code <<= 1
            }
            throw InflateError.invalidCode
        }
    }

    private static let lengthBase = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258]
    private static let lengthExtra = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0]
    private static let distBase = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537, 2049, 3073,
                                   4097, 6145, 8193, 12289, 16385, 24577]
    private static let distExtra = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13]
    private static let order = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Decompresses a raw DEFLATE stream; refuses output larger than `limit` bytes.
    public static func inflate(_ input: [UInt8], limit: Int = 64 << 20) throws -> [UInt8] {
        var r = Reader(data: input)
        var out: [UInt8] = []
        out.reserveCapacity(input.count * 4)
        var last = 0
        repeat {
            last = try r.bits(1)
            let type = try r.bits(2)
            switch type {
            case 0:
                r.bitBuf = 0
                r.bitCnt = 0
                guard r.pos + 4 <= input.count else { throw InflateError.truncated }
                let len = Int(input[r.pos]) | Int(input[r.pos + 1]) << 8
                let nlen = Int(input[r.pos + 2]) | Int(input[r.pos + 3]) << 8
                guard len == (~nlen & 0xFFFF) else { throw InflateError.invalidStoredLength }
                r.pos += 4
                guard r.pos + len <= input.count else { throw InflateError.truncated }
                out.append(contentsOf: input[r.pos..<(r.pos + len)])
                r.pos += len
            case 1:
                var lengths = [Int](repeating: 8, count: 288)
                for i in 144..<256 { lengths[i] = 9 }
                for i in 256..<280 { lengths[i] = 7 }
                try codes(&r, &out, try Huffman(lengths: lengths), try Huffman(lengths: [Int](repeating: 5, count: 30)), limit)
            case 2:
                let nlen = try r.bits(5) + 257, ndist = try r.bits(5) + 1, ncode = try r.bits(4) + 4
                guard nlen <= 286, ndist <= 30 else { throw InflateError.invalidCode }
                var cl = [Int](repeating: 0, count: 19)
                for i in 0..<ncode { cl[order[i]] = try r.bits(3) }
                let clh = try Huffman(lengths: cl)
                var lengths: [Int] = []
                while lengths.count < nlen + ndist {
                    let sym = try r.decode(clh)
                    if sym < 16 { lengths.append(sym); continue }
                    var value = 0, repeatCount = 0
                    switch sym {
                    case 16:
                        guard let prev = lengths.last else { throw InflateError.invalidCode }
                        value = prev
                        repeatCount = 3 + (try r.bits(2))
                    case 17: repeatCount = 3 + (try r.bits(3))
                    default: repeatCount = 11 + (try r.bits(7))
                    }
                    guard lengths.count + repeatCount <= nlen + ndist else { throw InflateError.invalidCode }
                    lengths += [Int](repeating: value, count: repeatCount)
                }
                try codes(&r, &out, try Huffman(lengths: Array(lengths[0..<nlen])), try Huffman(lengths: Array(lengths[nlen...])), limit)
            default:
                throw InflateError.invalidBlockType
            }
        } while last == 0
        return out
    }

    private static func codes(_ r: inout Reader, _ out: inout [UInt8], _ lencode: Huffman, _ distcode: Huffman, _ limit: Int) throws {
        while true {
            let sym = try r.decode(lencode)
            if sym < 256 {
                out.append(UInt8(sym))
            } else if sym == 256 {
                return
            } else {
                let s = sym - 257
                guard s < 29 else { throw InflateError.invalidCode }
                let len = lengthBase[s] + (try r.bits(lengthExtra[s]))
                let d = try r.decode(distcode)
                guard d < 30 else { throw InflateError.invalidDistance }
                let dist = distBase[d] + (try r.bits(distExtra[d]))
                guard dist <= out.count else { throw InflateError.invalidDistance }
                let start = out.count - dist
                for i in 0..<len { out.append(out[start + i]) }
            }
            if out.count > limit { throw InflateError.tooLarge }
        }
    }
}

/// The files of a ZIP archive (stored or deflated entries).
public enum ZipArchive {
    public struct Invalid: Error, Sendable, Equatable {}

    private static func u16(_ d: [UInt8], _ i: Int) throws -> Int {
        guard i + 2 <= d.count else { throw Invalid() }
        return Int(d[i]) | Int(d[i + 1]) << 8
    }

    private static func u32(_ d: [UInt8], _ i: Int) throws -> Int {
        guard i + 4 <= d.count else { throw Invalid() }
        return Int(d[i]) | Int(d[i + 1]) << 8 | Int(d[i + 2]) << 16 | Int(d[i + 3]) << 24
    }

    /// Name → contents of every file in the archive.
    public static func entries(_ data: [UInt8]) throws -> [String: [UInt8]] {
        guard data.count >= 22 else { throw Invalid() }
        var eocd = -1
        var i = data.count - 22
        while i >= max(0, data.count - 65_557) {
            if data[i] == 0x50 && data[i + 1] == 0x4B && data[i + 2] == 0x05 && data[i + 3] == 0x06 { eocd = i; break }
            i -= 1
        }
        guard eocd >= 0 else { throw Invalid() }
        let count = try u16(data, eocd + 10)
        var p = try u32(data, eocd + 16)
        var out: [String: [UInt8]] = [:]
        for _ in 0..<count {
            guard try u32(data, p) == 0x0201_4B50 else { throw Invalid() }
            let method = try u16(data, p + 10)
            let compressed = try u32(data, p + 20)
            let size = try u32(data, p + 24)
            let nameLen = try u16(data, p + 28), extraLen = try u16(data, p + 30), commentLen = try u16(data, p + 32)
            let local = try u32(data, p + 42)
            guard p + 46 + nameLen <= data.count else { throw Invalid() }
            let name = String(decoding: data[(p + 46)..<(p + 46 + nameLen)], as: UTF8.self)
            p += 46 + nameLen + extraLen + commentLen
            guard try u32(data, local) == 0x0403_4B50 else { throw Invalid() }
            let start = local + 30 + (try u16(data, local + 26)) + (try u16(data, local + 28))
            guard start + compressed <= data.count, size <= 64 << 20 else { throw Invalid() }
            let raw = Array(data[start..<(start + compressed)])
            switch method {
            case 0: out[name] = raw
            case 8: out[name] = try Inflate.inflate(raw, limit: 64 << 20)
            default: throw Invalid()
            }
        }
        return out
    }
}
