import Domain
import Foundation

/// The home page (`/`): the search box, the directions and the regions. Nothing to read: reference data only.
enum HomePage {
    struct Context: Encodable, Sendable {
        let layout: LayoutContext
        let catalogURL: String
        let directions: [Cell]
        let regions: [String]
    }

    static func context(layout: LayoutContext) -> Context {
        let catalog = SiteRoute.catalog(query: nil).url
        return Context(layout: layout, catalogURL: catalog,
                       directions: Direction.allCases.map { Cell($0.title, href: catalog + "?direction=" + $0.rawValue) },
                       regions: ReferenceData.regions.map(\.name))
    }
}
