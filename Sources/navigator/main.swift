import App

/// The executable: everything is in the App library.
@main
enum Entrypoint {
    static func main() async throws {
        try await Navigator.main()
    }
}
