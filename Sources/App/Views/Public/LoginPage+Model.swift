import Domain
import Foundation

/// The sign-in page (`/login`): the form, and the demo accounts when the demo is loaded.
enum LoginPage {
    struct Model: Sendable {
        /// The demo's staff accounts (empty without the demo) and their common password.
        let demoLogins: [(email: String, note: String)]
        let demoPassword: String?
    }

    struct Context: Encodable, Sendable {
        struct DemoLogin: Encodable, Sendable {
            let email: String
            let note: String
        }

        let layout: LayoutContext
        let action: String
        let email: String
        let next: String
        let errors: [FieldError]
        let demoLogins: [DemoLogin]
        let demoPassword: String?
    }

    /// Where to go after signing in: a path of this site, never another site (`""`: the cabinet).
    static func localNext(_ raw: String?) -> String {
        raw.flatMap { SiteRoute.isLocalPath($0) ? $0 : nil } ?? ""
    }

    /// Pure: the page with the e-mail typed (never the password) and the errors to show.
    static func context(_ m: Model, email: String, next: String, errors: [FieldError], layout: LayoutContext) -> Context {
        Context(layout: layout, action: SiteRoute.login(next: nil).url, email: String(email.prefix(Validation.maxEmailLength)),
                next: next, errors: errors, demoLogins: m.demoLogins.map { .init(email: $0.email, note: $0.note) },
                demoPassword: m.demoPassword)
    }
}
