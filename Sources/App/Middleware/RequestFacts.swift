import Vapor

/// Facts about a request that several middlewares and handlers ask for, computed cheaply. Vapor's
/// `url.path` goes through `URLComponents` (and a string replacement) at every call, and
/// `headers.contentType` parses the media type at every call; the enrollment hot path asked each of them
/// several times per request.
extension Request {
    private struct PathKey: StorageKey { typealias Value = String }

    /// The request's path, computed once.
    var routePath: String {
        if let p = storage[PathKey.self] { return p }
        let p = url.path
        storage[PathKey.self] = p
        return p
    }

    /// The body's media type without parameters, lower-cased: «application/json; charset=utf-8» → «application/json».
    var mediaType: String? {
        guard let raw = headers.first(name: .contentType) else { return nil }
        let bare = raw.split(separator: ";", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
        return bare.trimmingCharacters(in: .whitespaces).lowercased()
    }

    var hasJSONBody: Bool { mediaType == "application/json" }

    /// The JSON body decoded with the application's JSON decoder (the same as `content.decode` for JSON,
    /// without parsing the media type again).
    func decodeJSONBody<T: Decodable>(_ type: T.Type) throws -> T {
        try ContentConfiguration.global.requireDecoder(for: .json).decode(T.self, from: body.data ?? ByteBuffer(), headers: headers)
    }
}
