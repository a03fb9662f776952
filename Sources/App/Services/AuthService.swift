import Domain
import Fluent
import FluentPostgresDriver
import SQLKit
import Vapor

/// Sign-in, sessions, API tokens, password changes and the throttling of failed logins.
struct AuthService: Sendable {
    let config: AppConfig
    let clock: AppClock

    enum Failure: Error, Equatable {
        case invalidCredentials
        case locked(remaining: TimeInterval)
        case invalid(FieldError)
    }

    /// A bcrypt hash of a random secret, made at start-up with the configured cost: verified when the
    /// account does not exist, so that a wrong e-mail costs as much time as a wrong password.
    let dummyHash: String

    var throttleAccount: LoginThrottle {
        LoginThrottle(maxFailures: config.loginMaxFailuresPerAccount, window: config.loginWindow, lockDuration: config.loginLock)
    }

    var throttleAddress: LoginThrottle {
        LoginThrottle(maxFailures: config.loginMaxFailuresPerAddress, window: config.loginWindow, lockDuration: config.loginLock)
    }

    func hashPassword(_ password: String, on app: Application) async throws -> String {
        try await hashPassword(password, pool: app.threadPool)
    }

    func hashPassword(_ password: String, pool: NIOThreadPool) async throws -> String {
        let cost = config.bcryptCost
        return try await pool.runIfActive { try Bcrypt.hash(password, cost: cost) }
    }

    private func verify(_ password: String, _ hash: String, on app: Application) async throws -> Bool {
        try await app.threadPool.runIfActive { (try? Bcrypt.verify(password, created: hash)) ?? false }
    }

    /// Checks the credentials; counts failures per account and per address and refuses while locked.
    func authenticate(email rawEmail: String, password: String, address: String?, app: Application,
                      db: any Database) async throws -> Result<UserModel, Failure> {
        let now = clock.now()
        // A malformed address cannot belong to an account: it is never looked up, and its failures are
        // counted under a digest of what was sent.
        let email: String
        let wellFormed: Bool
        switch Validation.email(rawEmail) {
        case .success(let e): email = e; wellFormed = true
        case .failure: email = "invalid:" + Tokens.hash(rawEmail).prefix(32); wellFormed = false
        }
        let keys = ["account:" + email] + (address.map { ["address:" + $0] } ?? [])
        let states = try await LoginFailureModel.query(on: db).filter(\.$id ~~ keys).all()
        for s in states {
            let throttle = s.id!.hasPrefix("account:") ? throttleAccount : throttleAddress
            let st = LoginThrottle.State(failures: s.failures, windowStart: s.windowStart, lockedUntil: s.lockedUntil)
            if let remaining = throttle.lockRemaining(st, now: now) {
                return .failure(.locked(remaining: remaining))
            }
        }
        if !wellFormed || password.isEmpty || password.count > Validation.maxPasswordLength || Validation.hasControlCharacters(password) {
            try await recordFailure(keys: keys, now: now, app: app, db: db)
            return .failure(.invalidCredentials)
        }
        let user = try await UserModel.query(on: db).filter(\.$email == email).first()
        let ok = try await verify(password, user?.passwordHash ?? dummyHash, on: app)
        guard let user, ok, user.isActive else {
            try await recordFailure(keys: keys, now: now, app: app, db: db)
            return .failure(.invalidCredentials)
        }
        try await LoginFailureModel.query(on: db).filter(\.$id == "account:" + email).delete()
        return .success(user)
    }

    /// Counts a failure under every key, each row locked while it is counted: parallel guesses all count
    /// (none is lost to another's read-modify-write), and two first failures at once do not collide.
    private func recordFailure(keys: [String], now: Date, app: Application, db: any Database) async throws {
        try await app.writeGate.run { try await db.transaction { tx in
            for key in keys {
                let throttle = key.hasPrefix("account:") ? throttleAccount : throttleAddress
                try await tx.sql.insert(into: LoginFailureModel.schema).columns("key", "failures", "window_start", "locked_until")
                    .values(SQLBind(key), SQLBind(0), SQLBind(now), SQLLiteral.null).ignoringConflicts(with: ["key"]).run()
                try await tx.sql.raw("UPDATE login_failures SET key = key WHERE key = \(bind: key)").run()
                guard let row = try await LoginFailureModel.query(on: tx).filter(\.$id == key).first() else { continue }
                let new = throttle.recordFailure(LoginThrottle.State(failures: row.failures, windowStart: row.windowStart,
                                                                     lockedUntil: row.lockedUntil), now: now)
                row.failures = new.failures
                row.windowStart = new.windowStart
                row.lockedUntil = new.lockedUntil
                try await row.save(on: tx)
            }
        } }
    }

    /// Opens a browser session; returns the cookie token.
    func openSession(for user: UserModel, address: String?, db: any Database) async throws -> String {
        let token = Tokens.random()
        let s = SessionModel()
        s.tokenHash = Tokens.hash(token)
        s.$user.id = try user.requireID()
        s.createdAt = clock.now()
        s.expiresAt = clock.now().addingTimeInterval(config.sessionLifetime)
        s.address = address
        try await s.create(on: db)
        return token
    }

    func issueAPIToken(for user: UserModel, db: any Database) async throws -> (token: String, expiresAt: Date) {
        let token = Tokens.random()
        let t = APITokenModel()
        t.tokenHash = Tokens.hash(token)
        t.$user.id = try user.requireID()
        t.createdAt = clock.now()
        t.expiresAt = clock.now().addingTimeInterval(config.apiTokenLifetime)
        try await t.create(on: db)
        return (token, t.expiresAt)
    }

    /// The user of a session cookie, if the session is valid; expired sessions are removed.
    func user(sessionToken: String, db: any Database) async throws -> (UserModel, SessionModel)? {
        guard sessionToken.count <= 128 else { return nil }
        guard let s = try await SessionModel.query(on: db).filter(\.$tokenHash == Tokens.hash(sessionToken))
            .with(\.$user).first() else { return nil }
        if s.expiresAt <= clock.now() || !s.user.isActive {
            try await s.delete(on: db)
            return nil
        }
        return (s.user, s)
    }

    /// The bearer token's row with its user.
    struct TokenRow: Sendable {
        let token_id: UUID
        let expires_at: Date
        let id: UUID
        let role: String
        let region_code: String
        let municipality_id: UUID?
        let provider_id: UUID?
        let may_confirm_certificates: Bool
        let is_active: Bool
        let surname: String
        let name: String
        let patronymic: String
        let email: String
    }

    /// On PostgreSQL: the look-ups of concurrent API requests, in one statement (`BatchQueue`).
    var tokenQueue: BatchQueue<String, TokenRow?>? = nil

    /// The signed-in user of an API request, in one statement (every API call pays for it; on PostgreSQL the
    /// requests that arrive together share it). An expired token, or one of a deactivated account, signs nobody
    /// in and is removed.
    func apiUser(bearer token: String, db: any Database, read: (any SQLDatabase)? = nil) async throws -> AuthenticatedUser? {
        guard token.count <= 128 else { return nil }
        let hash = Tokens.hash(token)
        let found: TokenRow?
        if let pg = db as? any PostgresDatabase {
            if let queue = tokenQueue {
                let logger = db.logger
                found = try await queue.submit(hash, process: { hashes in
                    do {
                        var rows: [String: TokenRow] = [:]
                        for row in try await pg.hotRows(TokenBatchStatement(hashes: hashes), logger: logger) {
                            let r = row.makeRandomAccess()
                            rows[try r["token_hash"].decode(String.self)] = try TokenRow(r)
                        }
                        return hashes.map { .done(rows[$0]) }
                    } catch {
                        return hashes.map { _ in .failed(error) }
                    }
                }, alone: { _ in nil })
            } else {
                found = try await pg.hotRows(TokenStatement(hash: hash), logger: db.logger).first.map { try TokenRow($0.makeRandomAccess()) }
            }
        } else {
            found = try await (read ?? db.sql).rows(TokenStatement.sql, [hash]).first.map { try TokenRow(hotRow($0)) }
        }
        guard let r = found else { return nil }
        guard r.expires_at > clock.now(), r.is_active, let role = Role(rawValue: r.role) else {
            try await db.sql.delete(from: "api_tokens").where("id", .equal, r.token_id).run()
            return nil
        }
        let principal = Principal(userID: r.id, role: role, regionCode: r.region_code, municipalityID: r.municipality_id,
                                  providerID: r.provider_id, mayConfirmCertificates: r.may_confirm_certificates)
        return AuthenticatedUser(principal: principal, displayName: [r.surname, r.name, r.patronymic].filter { !$0.isEmpty }.joined(separator: " "),
                                 email: r.email, sessionID: nil)
    }

    static let tokenColumns = """
        t.id AS token_id, t.expires_at, u.id, u.role, u.region_code, u.municipality_id, u.provider_id,
        u.may_confirm_certificates, u.is_active, u.surname, u.name, u.patronymic, u.email
        """

    /// The bearer's token and user (`$1`: the token's hash).
    struct TokenStatement: HotStatement {
        static let sql = "SELECT \(tokenColumns) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = $1"
        let bindings: PostgresBindings

        init(hash: String) {
            var b = PostgresBindings(capacity: 1)
            b.append(hash)
            bindings = b
        }
    }

    /// The tokens and users of many bearers (`$1`: the hashes), each row with its `token_hash`.
    struct TokenBatchStatement: HotStatement {
        static let sql = "SELECT t.token_hash, \(tokenColumns) FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.token_hash = ANY($1)"
        let bindings: PostgresBindings

        init(hashes: [String]) {
            var b = PostgresBindings(capacity: 1)
            b.append(hashes)
            bindings = b
        }
    }

    func closeSession(token: String, db: any Database) async throws {
        try await SessionModel.query(on: db).filter(\.$tokenHash == Tokens.hash(token)).delete()
    }

    func revokeAPIToken(_ token: String, db: any Database) async throws {
        try await APITokenModel.query(on: db).filter(\.$tokenHash == Tokens.hash(token)).delete()
    }

    /// Changes the password after checking the current one; ends every other session and every API token.
    func changePassword(userID: UUID, current: String, new: String, repeated: String, keepSession: UUID?,
                        app: Application, db: any Database) async throws -> [FieldError] {
        guard let user = try await UserModel.find(userID, on: db) else { throw Abort(.unauthorized) }
        var errors: [FieldError] = []
        let currentOK = !current.isEmpty && current.count <= Validation.maxPasswordLength
            ? try await verify(current, user.passwordHash, on: app) : false
        if !currentOK {
            errors.append(FieldError(field: "currentPassword", message: "Текущий пароль указан неверно."))
        }
        if let e = Validation.newPassword(new) { errors.append(e) }
        if new != repeated {
            errors.append(FieldError(field: "repeatPassword", message: "Новый пароль и его повтор не совпадают."))
        }
        if new == current && errors.isEmpty {
            errors.append(FieldError(field: "newPassword", message: "Новый пароль должен отличаться от текущего."))
        }
        guard errors.isEmpty else { return errors }
        let hash = try await hashPassword(new, on: app)
        try await db.transaction { tx in
            user.passwordHash = hash
            user.passwordChangedAt = clock.now()
            try await user.save(on: tx)
            var others = SessionModel.query(on: tx).filter(\.$user.$id == userID)
            if let keepSession { others = others.filter(\.$id != keepSession) }
            try await others.delete()
            try await APITokenModel.query(on: tx).filter(\.$user.$id == userID).delete()
        }
        return []
    }
}

extension Application {
    private struct AuthKey: StorageKey { typealias Value = AuthService }

    var authService: AuthService {
        get {
            guard let s = storage[AuthKey.self] else { fatalError("AuthService is not configured") }
            return s
        }
        set { storage[AuthKey.self] = newValue }
    }
}

extension AuthService.TokenRow {
    /// Decoded by column name (every API request reads one).
    init(_ r: some HotRow) throws {
        self.init(token_id: try r.uuid(required: "token_id"), expires_at: try r.date(required: "expires_at"),
                  id: try r.uuid(required: "id"), role: try r.string(required: "role"),
                  region_code: try r.string(required: "region_code"), municipality_id: try r.uuid("municipality_id"),
                  provider_id: try r.uuid("provider_id"), may_confirm_certificates: try r.bool(required: "may_confirm_certificates"),
                  is_active: try r.bool(required: "is_active"), surname: try r.string(required: "surname"),
                  name: try r.string(required: "name"), patronymic: try r.string(required: "patronymic"),
                  email: try r.string(required: "email"))
    }
}
