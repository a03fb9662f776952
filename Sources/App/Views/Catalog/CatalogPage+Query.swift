import Domain
import Foundation

extension CatalogPage {
    /// The catalogue searched with the parsed query string. A bad parameter is not applied: the words alone are
    /// searched (`text`, the raw `q`), and the model says why.
    static func query(_ parsed: Result<CatalogQuery, FieldError>, text: String?, today: LocalDate, store: CatalogStore,
                      env: some CatalogEnvironment) async throws -> Model {
        var error: String? = nil
        var query: CatalogQuery
        switch parsed {
        case .success(let q): query = q
        case .failure(let e):
            error = e.message + " Фильтр не применён."
            query = CatalogQuery(today: today)
            query.text = String((text ?? "").prefix(200))
        }
        let catalog = try await store.current(env)
        return Model(query: query, result: catalog.search(query), error: error)
    }
}
