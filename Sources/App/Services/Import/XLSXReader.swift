import Domain
import Foundation
import ZIPFoundation

/// Opens an XLSX workbook — a ZIP archive — with ZIPFoundation and hands its sheet and its shared strings
/// to `Spreadsheet.xlsx` (Domain), which parses the XML. A CSV goes to `Spreadsheet.csv`.
///
/// Untrusted input: at most `maxEntries` entries are listed and at most `maxUncompressed` bytes inflated in
/// all: an entry whose declared size does not fit is refused before inflating, and inflating stops where
/// the declared size ends (the sizes a ZIP declares may lie), so a zip bomb never gets past the cap.
/// Every refusal is a `Spreadsheet.Unreadable` with a Russian message; nothing is written to the database.
///
/// Two defects of ZIPFoundation 0.9.20 on Linux are worked around here (both found by the fuzz test, both
/// with open fixes upstream); each would let one damaged upload take the server down:
/// - its in-memory archive traps when a damaged archive points past its end (`MemoryFile.readData` builds a
///   range of negative length; weichsel/ZIPFoundation PR #394). So the archive is read from a private
///   temporary file, removed right after: a file read past its end just returns nothing.
/// - it inflates an entry by reading on until the deflate stream says it has ended, and when the file ends
///   first it loops forever at full CPU (`Data.decode`; PR #389). So the file is written with the archive's
///   end records moved past a hole of zeros twice the size of the cap (a sparse region: no disk is used).
///   A stream that does not end where it should runs into the zeros, which inflate either refuses (zeros
///   make an invalid stored block) or turns into output, at least one byte for every two bytes of zeros
///   read, which the stop at the declared size (at most the cap) ends. ZIPFoundation finds the end records
///   by scanning back from the end of the file and reads the central directory where they point, so a
///   sound archive reads the same.
enum XLSXReader {
    /// A workbook with a sheet of children has a dozen entries; a thousand leaves room for many sheets and pictures.
    static let maxEntries = 1_000
    /// The sheet and the shared strings together, uncompressed: 50 000 rows of 13 columns take about 25 MB.
    static let maxUncompressed = 50 << 20

    static let damaged = Spreadsheet.Unreadable(message: "Файл XLSX повреждён или не является книгой Excel.")

    /// The first bytes of a ZIP archive: a local file header, or the end record of an empty archive.
    static func isZIP(_ data: [UInt8]) -> Bool {
        data.starts(with: [0x50, 0x4B, 0x03, 0x04]) || data.starts(with: [0x50, 0x4B, 0x05, 0x06])
    }

    /// The rows of a CSV or XLSX file, told apart by their first bytes.
    static func rows(_ data: [UInt8]) throws -> [[String]] {
        isZIP(data) ? try xlsx(data) : try Spreadsheet.csv(data)
    }

    /// The rows of the workbook's first sheet (`xl/worksheets/sheet1.xml`, or the one with the lowest number).
    static func xlsx(_ data: [UInt8], maxUncompressed: Int = maxUncompressed, maxEntries: Int = maxEntries) throws -> [[String]] {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("navigator-import-\(UUID().uuidString.lowercased()).xlsx")
        defer { try? FileManager.default.removeItem(at: file) }
        try write(data, to: file, hole: 2 * maxUncompressed)
        let archive: Archive
        do { archive = try Archive(url: file, accessMode: .read) } catch { throw damaged }
        var files: [String: Entry] = [:]
        var count = 0
        for entry in archive {
            count += 1
            guard count <= maxEntries else {
                throw Spreadsheet.Unreadable(message: "В файле XLSX больше \(maxEntries) частей: это не похоже на книгу Excel со списком детей.")
            }
            if entry.type == .file { files[entry.path] = entry }
        }
        let sheetName = files.keys.filter { $0.hasPrefix("xl/worksheets/sheet") && $0.hasSuffix(".xml") }
            .sorted { $0.count == $1.count ? $0 < $1 : $0.count < $1.count }.first
        guard let sheetName, let sheetEntry = files[sheetName] else {
            throw Spreadsheet.Unreadable(message: "В книге Excel нет листов.")
        }
        var budget = maxUncompressed
        let sheet = try read(sheetEntry, of: archive, budget: &budget, cap: maxUncompressed)
        let shared = try files["xl/sharedStrings.xml"].map { try read($0, of: archive, budget: &budget, cap: maxUncompressed) }
        return try Spreadsheet.xlsx(sheet: sheet, sharedStrings: shared)
    }

    /// Where ZIPFoundation finds the end of central directory record: the last signature that starts at
    /// least 22 bytes (the record's size) before the end. Then the ZIP64 locator and record, when they
    /// stand right before it, as ZIPFoundation expects them.
    static func endRecords(_ data: [UInt8]) -> Int? {
        guard data.count >= 22 else { return nil }
        var i = data.count - 22
        while i >= 0 {
            if data[i] == 0x50, data[i + 1] == 0x4B, data[i + 2] == 0x05, data[i + 3] == 0x06 { break }
            i -= 1
        }
        guard i >= 0 else { return nil }
        if i >= 76, data[(i - 20)..<(i - 16)].elementsEqual([0x50, 0x4B, 0x06, 0x07]),
           data[(i - 76)..<(i - 72)].elementsEqual([0x50, 0x4B, 0x06, 0x06]) {
            return i - 76
        }
        return i
    }

    /// The archive into a new file readable by this user only: everything before the end records, a hole
    /// of `hole` zero bytes, then the end records. Without end records it is no archive: refused here,
    /// before ZIPFoundation would look for them byte by byte through the whole file.
    static func write(_ data: [UInt8], to file: URL, hole: Int) throws {
        guard let cut = endRecords(data) else { throw damaged }
        let unwritable = Spreadsheet.Unreadable(message: "Не удалось сохранить файл для чтения: попробуйте ещё раз.")
        // Created readable by this user only from its first byte (O_EXCL: never an existing file or a link).
        let fd = open(file.path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw unwritable }
        let handle = FileHandle(fileDescriptor: fd, closeOnDealloc: true)
        do {
            try handle.write(contentsOf: data[..<cut])
            try handle.seek(toOffset: UInt64(cut + hole))
            try handle.write(contentsOf: data[cut...])
            try handle.close()
        } catch {
            throw unwritable
        }
    }

    private struct LongerThanDeclared: Error {}

    /// One entry, inflated into memory. Its declared size must fit in what is left of the budget; inflating
    /// stops as soon as the output passes the declared size (the sizes a ZIP declares may lie: a damaged
    /// or forged archive, refused as damaged), so the budget holds whatever the archive says.
    private static func read(_ entry: Entry, of archive: Archive, budget: inout Int, cap: Int) throws -> Data {
        let size = cap % (1 << 20) == 0 ? "\(cap >> 20) МБ" : "\(cap) байт"
        guard entry.uncompressedSize <= UInt64(budget) else {
            throw Spreadsheet.Unreadable(
                message: "Книга Excel в распакованном виде больше \(size): разделите файл на части или сохраните лист как «CSV UTF-8».")
        }
        let declared = Int(entry.uncompressedSize)
        var out = Data()
        do {
            _ = try archive.extract(entry) { chunk in
                guard out.count + chunk.count <= declared else { throw LongerThanDeclared() }
                out.append(chunk)
            }
        } catch {
            throw damaged
        }
        budget -= out.count
        return out
    }
}
