import Domain
import Foundation

/// Every path of the site comes from here: the route table registers these, pages and redirects link to them.
enum SiteRoute: Hashable, Sendable {
    case home
    case catalog(query: String?)
    case login(next: String?)
    case logout
    case accessibility
    case password
    case cabinet(Role)
    case familyChild(UUID)
    case register
    case providerRegister
    case providerCard
    case registryModerate(UUID)
    case registryIssuingPoint(UUID)
    case familyChildNew
    case familyChildEdit(UUID)
    case familyChildDelete(UUID)
    case familyChildApply(UUID)
    case familyChildFinancing(UUID)
    case familyNotifications
    case certificates(query: String?)
    case certificate(UUID)
    case certificateConfirm(UUID)
    case certificateReject(UUID)
    case certificateFreeze(UUID)
    case certificateAssisted
    case program
    case programPeriods
    case programPeriodContracting(UUID)
    case programPeriodClose
    case programPeriodOpen
    case programGroups
    case programGroup(UUID)
    case programGroupNominal(UUID)
    case programSweep
    case programImport
    case agreements
    case agreementTerminate
    case registryProvider(UUID)
    case healthz, readyz, metrics
    case apiToken, apiMe, apiChildren, apiChild(UUID), apiProvider(UUID)
    case apiAgreements, apiAgreementTerminate(UUID), apiApplicationProlongation(UUID)
    case apiProgram, apiPeriods, apiPeriodsClose, apiPeriodsOpen, apiGroups, apiGroup(UUID), apiGroupNominal(UUID), apiCertificateFreeze(UUID)
    case apiChildCertificate(UUID), apiCertificates, apiCertificate(UUID), apiCertificateConfirm(UUID), apiCertificateReject(UUID), apiCertificateFinancing(UUID)
    case apiQuote, apiRegions, apiMunicipalities, apiDirections, apiClassifiers, apiActivityKinds
    case catalogProgram(UUID), catalogProvider(UUID)
    case providerPrograms, providerProgramNew, providerProgram(UUID), providerProgramSubmit(UUID), providerProgramArchive(UUID)
    case providerProgramModules(UUID), providerModule(UUID), providerProgramGroups(UUID), providerGroup(UUID)
    case registryPrograms, registryProgram(UUID), registryProgramCertify(UUID), registryProgramRefuse(UUID), registryProgramArchive(UUID)
    case regionSettings
    case apiCatalogSearch, apiCatalogProgram(UUID), apiCatalogProvider(UUID), apiCatalogExportCSV, apiCatalogExportJSONL, apiOpenAPI
    case apiPrograms, apiProgramItem(UUID), apiProgramModules(UUID), apiModule(UUID), apiProgramGroups(UUID), apiStudyGroup(UUID)
    case apiProgramSubmit(UUID), apiProgramCertify(UUID), apiProgramRefuse(UUID), apiProgramArchive(UUID)
    case apiProviders, apiProviderModerate(UUID), apiProviderIssuingPoint(UUID), apiPriceCap
    case familyEnroll, familyWaitlist, familyApplications, familyApplication(UUID), familyApplicationWithdraw(UUID)
    case familyApplicationAccept(UUID), familyApplicationNotice(UUID), familyWaitlistLeave(UUID), familyApplicationProlongation(UUID)
    case providerApplications, providerApplication(UUID), providerApplicationOffer(UUID), providerApplicationReject(UUID)
    case providerApplicationNotice(UUID), contracts, contract(UUID)
    case apiGroupQuote(UUID), apiApplications, apiApplication(UUID), apiApplicationOffer(UUID), apiApplicationReject(UUID)
    case apiApplicationWithdraw(UUID), apiApplicationAccept(UUID), apiApplicationNotice(UUID), apiGroupWaitlist(UUID), apiWaitlistLeave(UUID)
    case providerPayments, providerCompleteness, providerAdvance, municipalityPayments, municipalityMonthClose
    case invoice(UUID), invoiceCSV(UUID), invoiceXLSX(UUID), invoiceTake(UUID), invoicePay(UUID), invoiceDelete(UUID)
    case apiCompleteness, apiAdvance, apiInvoices, apiInvoice(UUID), apiInvoiceTake(UUID), apiInvoicePay(UUID), apiInvoiceDelete(UUID)
    case apiMonthClose
    case familyApplicationTransfer(UUID), apiApplicationTransfer(UUID)
    case familyApplicationDispute(UUID), disputeDecide(UUID), apiApplicationDisputes(UUID), apiDisputes, apiDisputeDecide(UUID)
    case css, js

    /// The path pattern for the router (`:id` for parameters).
    var pattern: String {
        switch self {
        case .home: "/"
        case .catalog: "/catalog"
        case .login: "/login"
        case .logout: "/logout"
        case .accessibility: "/accessibility"
        case .password: "/account/password"
        case .cabinet(let role): Self.cabinetPath(role)
        case .familyChild: "/family/children/:id"
        case .register: "/register"
        case .providerRegister: "/providers/register"
        case .providerCard: "/provider/card"
        case .registryModerate: "/registry/providers/:id/moderate"
        case .registryIssuingPoint: "/registry/providers/:id/issuing-point"
        case .familyChildNew: "/family/children/new"
        case .familyChildEdit: "/family/children/:id/edit"
        case .familyChildDelete: "/family/children/:id/delete"
        case .familyChildApply: "/family/children/:id/certificate"
        case .familyChildFinancing: "/family/children/:id/financing"
        case .familyNotifications: "/family/notifications"
        case .certificates: "/certificates"
        case .certificate: "/certificates/:id"
        case .certificateConfirm: "/certificates/:id/confirm"
        case .certificateReject: "/certificates/:id/reject"
        case .certificateFreeze: "/certificates/:id/freeze"
        case .certificateAssisted: "/certificates/assisted"
        case .program: "/municipality/program"
        case .programPeriods: "/municipality/periods"
        case .programPeriodContracting: "/municipality/periods/:id/contracting"
        case .programPeriodClose: "/municipality/periods/close"
        case .programPeriodOpen: "/municipality/periods/open"
        case .programGroups: "/municipality/groups"
        case .programGroup: "/municipality/groups/:id"
        case .programGroupNominal: "/municipality/groups/:id/nominal"
        case .programSweep: "/municipality/sweep"
        case .programImport: "/municipality/import"
        case .agreements: "/municipality/agreements"
        case .agreementTerminate: "/municipality/agreements/terminate"
        case .registryProvider: "/registry/providers/:id"
        case .healthz: "/healthz"
        case .readyz: "/readyz"
        case .metrics: "/metrics"
        case .apiToken: "/api/v1/auth/token"
        case .apiMe: "/api/v1/me"
        case .apiChildren: "/api/v1/children"
        case .apiChild: "/api/v1/children/:id"
        case .apiProvider: "/api/v1/providers/:id"
        case .apiChildCertificate: "/api/v1/children/:id/certificate"
        case .apiProgram: "/api/v1/municipality/program"
        case .apiAgreements: "/api/v1/agreements"
        case .apiAgreementTerminate: "/api/v1/agreements/:id/terminate"
        case .apiApplicationProlongation: "/api/v1/applications/:id/prolongation"
        case .apiPeriods: "/api/v1/municipality/periods"
        case .apiPeriodsClose: "/api/v1/municipality/periods/close"
        case .apiPeriodsOpen: "/api/v1/municipality/periods/open"
        case .apiGroups: "/api/v1/municipality/groups"
        case .apiGroup: "/api/v1/municipality/groups/:id"
        case .apiGroupNominal: "/api/v1/municipality/groups/:id/nominal"
        case .apiCertificateFreeze: "/api/v1/municipality/certificates/:id/freeze"
        case .apiCertificates: "/api/v1/certificates"
        case .apiCertificate: "/api/v1/certificates/:id"
        case .apiCertificateConfirm: "/api/v1/certificates/:id/confirm"
        case .apiCertificateReject: "/api/v1/certificates/:id/reject"
        case .apiCertificateFinancing: "/api/v1/certificates/:id/financing"
        case .apiQuote: "/api/v1/quote"
        case .apiRegions: "/api/v1/reference/regions"
        case .apiMunicipalities: "/api/v1/reference/municipalities"
        case .apiDirections: "/api/v1/reference/directions"
        case .apiClassifiers: "/api/v1/reference/classifiers"
        case .apiActivityKinds: "/api/v1/reference/activity-kinds"
        case .catalogProgram: "/catalog/programs/:id"
        case .catalogProvider: "/catalog/providers/:id"
        case .providerPrograms: "/provider/programs"
        case .providerProgramNew: "/provider/programs/new"
        case .providerProgram: "/provider/programs/:id"
        case .providerProgramSubmit: "/provider/programs/:id/submit"
        case .providerProgramArchive: "/provider/programs/:id/archive"
        case .providerProgramModules: "/provider/programs/:id/modules"
        case .providerModule: "/provider/modules/:id"
        case .providerProgramGroups: "/provider/programs/:id/groups"
        case .providerGroup: "/provider/groups/:id"
        case .registryPrograms: "/registry/programs"
        case .registryProgram: "/registry/programs/:id"
        case .registryProgramCertify: "/registry/programs/:id/certify"
        case .registryProgramRefuse: "/registry/programs/:id/refuse"
        case .registryProgramArchive: "/registry/programs/:id/archive"
        case .regionSettings: "/operator/settings"
        case .apiCatalogSearch: "/api/v1/catalog/search"
        case .apiCatalogProgram: "/api/v1/catalog/programs/:id"
        case .apiCatalogProvider: "/api/v1/catalog/providers/:id"
        case .apiCatalogExportCSV: "/api/v1/catalog/export.csv"
        case .apiCatalogExportJSONL: "/api/v1/catalog/export.jsonl"
        case .apiOpenAPI: "/api/v1/openapi.json"
        case .apiPrograms: "/api/v1/programs"
        case .apiProgramItem: "/api/v1/programs/:id"
        case .apiProgramModules: "/api/v1/programs/:id/modules"
        case .apiModule: "/api/v1/modules/:id"
        case .apiProgramGroups: "/api/v1/programs/:id/groups"
        case .apiStudyGroup: "/api/v1/groups/:id"
        case .apiProgramSubmit: "/api/v1/programs/:id/submit"
        case .apiProgramCertify: "/api/v1/programs/:id/certify"
        case .apiProgramRefuse: "/api/v1/programs/:id/refuse"
        case .apiProgramArchive: "/api/v1/programs/:id/archive"
        case .apiProviders: "/api/v1/providers"
        case .apiProviderModerate: "/api/v1/providers/:id/moderate"
        case .apiProviderIssuingPoint: "/api/v1/providers/:id/issuing-point"
        case .apiPriceCap: "/api/v1/operator/price-cap"
        case .familyEnroll: "/family/enroll"
        case .familyWaitlist: "/family/waitlist"
        case .familyApplications: "/family/applications"
        case .familyApplication: "/family/applications/:id"
        case .familyApplicationWithdraw: "/family/applications/:id/withdraw"
        case .familyApplicationAccept: "/family/applications/:id/accept"
        case .familyApplicationNotice: "/family/applications/:id/notice"
        case .familyApplicationProlongation: "/family/applications/:id/prolongation"
        case .familyWaitlistLeave: "/family/waitlist/:id/leave"
        case .providerApplications: "/provider/applications"
        case .providerApplication: "/provider/applications/:id"
        case .providerApplicationOffer: "/provider/applications/:id/offer"
        case .providerApplicationReject: "/provider/applications/:id/reject"
        case .providerApplicationNotice: "/provider/applications/:id/notice"
        case .contracts: "/contracts"
        case .contract: "/contracts/:id"
        case .apiGroupQuote: "/api/v1/groups/:id/quote"
        case .apiApplications: "/api/v1/applications"
        case .apiApplication: "/api/v1/applications/:id"
        case .apiApplicationOffer: "/api/v1/applications/:id/offer"
        case .apiApplicationReject: "/api/v1/applications/:id/reject"
        case .apiApplicationWithdraw: "/api/v1/applications/:id/withdraw"
        case .apiApplicationAccept: "/api/v1/applications/:id/accept"
        case .apiApplicationNotice: "/api/v1/applications/:id/notice"
        case .apiGroupWaitlist: "/api/v1/groups/:id/waitlist"
        case .apiWaitlistLeave: "/api/v1/waitlist/:id/leave"
        case .providerPayments: "/provider/payments"
        case .providerCompleteness: "/provider/payments/completeness"
        case .providerAdvance: "/provider/payments/advance"
        case .municipalityPayments: "/municipality/payments"
        case .municipalityMonthClose: "/municipality/payments/close"
        case .invoice: "/invoices/:id"
        case .invoiceCSV: "/invoices/:id/lines.csv"
        case .invoiceXLSX: "/invoices/:id/lines.xlsx"
        case .invoiceTake: "/invoices/:id/take"
        case .invoicePay: "/invoices/:id/pay"
        case .invoiceDelete: "/invoices/:id/delete"
        case .apiCompleteness: "/api/v1/provider/completeness"
        case .apiAdvance: "/api/v1/provider/advance"
        case .apiInvoices: "/api/v1/invoices"
        case .apiInvoice: "/api/v1/invoices/:id"
        case .apiInvoiceTake: "/api/v1/invoices/:id/take"
        case .apiInvoicePay: "/api/v1/invoices/:id/pay"
        case .apiInvoiceDelete: "/api/v1/invoices/:id/delete"
        case .apiMonthClose: "/api/v1/municipality/month-close"
        case .familyApplicationDispute: "/family/applications/:id/dispute"
        case .familyApplicationTransfer: "/family/applications/:id/transfer"
        case .apiApplicationTransfer: "/api/v1/applications/:id/transfer"
        case .disputeDecide: "/municipality/disputes/:id/decide"
        case .apiApplicationDisputes: "/api/v1/applications/:id/disputes"
        case .apiDisputes: "/api/v1/disputes"
        case .apiDisputeDecide: "/api/v1/disputes/:id/decide"
        case .css: "/css/site.css"
        case .js: "/js/site.js"
        }
    }

    static func cabinetPath(_ role: Role) -> String {
        switch role {
        case .operator_: "/operator"
        case .municipality: "/municipality"
        case .provider: "/provider"
        case .parent: "/family"
        case .monitor: "/monitor"
        }
    }

    /// A link to this route with its parameters filled in.
    var url: String {
        switch self {
        case .catalog(let q):
            guard let q, !q.isEmpty else { return pattern }
            return pattern + "?q=" + Self.encode(q)
        case .login(let next):
            guard let next, Self.isLocalPath(next), next != "/login" else { return pattern }
            return pattern + "?next=" + Self.encode(next)
        case .certificates(let q):
            guard let q, !q.isEmpty else { return pattern }
            return pattern + "?q=" + Self.encode(q)
        case .familyChild(let id), .registryProvider(let id), .apiChild(let id), .apiProvider(let id),
             .familyChildEdit(let id), .familyChildDelete(let id), .familyChildApply(let id), .familyChildFinancing(let id),
             .certificate(let id), .certificateConfirm(let id), .certificateReject(let id), .certificateFreeze(let id),
             .programPeriodContracting(let id), .programGroup(let id), .programGroupNominal(let id),
             .apiChildCertificate(let id), .apiCertificate(let id), .apiCertificateConfirm(let id), .apiCertificateReject(let id),
             .registryModerate(let id), .registryIssuingPoint(let id),
             .apiCertificateFinancing(let id), .apiGroup(let id), .apiGroupNominal(let id), .apiCertificateFreeze(let id),
             .catalogProgram(let id), .catalogProvider(let id), .providerProgram(let id), .providerProgramSubmit(let id),
             .providerProgramArchive(let id), .providerProgramModules(let id), .providerModule(let id), .providerProgramGroups(let id),
             .providerGroup(let id), .registryProgram(let id), .registryProgramCertify(let id), .registryProgramRefuse(let id),
             .registryProgramArchive(let id), .apiCatalogProgram(let id), .apiCatalogProvider(let id), .apiProgramItem(let id),
             .apiProgramModules(let id), .apiModule(let id), .apiProgramGroups(let id), .apiStudyGroup(let id), .apiProgramSubmit(let id),
             .apiProgramCertify(let id), .apiProgramRefuse(let id), .apiProgramArchive(let id), .apiProviderModerate(let id),
             .apiProviderIssuingPoint(let id), .familyApplication(let id), .familyApplicationWithdraw(let id),
             .familyApplicationAccept(let id), .familyApplicationNotice(let id), .familyWaitlistLeave(let id),
             .providerApplication(let id), .providerApplicationOffer(let id), .providerApplicationReject(let id),
             .providerApplicationNotice(let id), .contract(let id), .apiGroupQuote(let id), .apiApplication(let id),
             .apiApplicationOffer(let id), .apiApplicationReject(let id), .apiApplicationWithdraw(let id),
             .apiApplicationAccept(let id), .apiApplicationNotice(let id), .apiGroupWaitlist(let id), .apiWaitlistLeave(let id),
             .apiAgreementTerminate(let id), .apiApplicationProlongation(let id), .familyApplicationProlongation(let id),
             .invoice(let id), .invoiceCSV(let id), .invoiceXLSX(let id), .invoiceTake(let id), .invoicePay(let id), .invoiceDelete(let id),
             .apiInvoice(let id), .apiInvoiceTake(let id), .apiInvoicePay(let id), .apiInvoiceDelete(let id),
             .familyApplicationDispute(let id), .familyApplicationTransfer(let id), .apiApplicationTransfer(let id), .disputeDecide(let id), .apiApplicationDisputes(let id), .apiDisputeDecide(let id):
            return Self.fill(pattern, id.lowercasedString)
        default:
            return pattern
        }
    }

    /// `pattern` with its `:id` replaced (without Foundation's string search: links are built on the hot path).
    static func fill(_ pattern: String, _ id: String) -> String {
        let u = Array(pattern.utf8)
        var i = 0
        while i + 2 < u.count {
            if u[i] == UInt8(ascii: ":"), u[i + 1] == UInt8(ascii: "i"), u[i + 2] == UInt8(ascii: "d") {
                return String(decoding: u[..<i], as: UTF8.self) + id + String(decoding: u[(i + 3)...], as: UTF8.self)
            }
            i += 1
        }
        return pattern
    }

    var pathComponents: [String] {
        pattern.split(separator: "/").map(String.init)
    }

    static func encode(_ s: String) -> String {
        var allowed = CharacterSet.urlQueryAllowed
        allowed.remove(charactersIn: "&=+?#")
        return s.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A path of this site (for `next=` and `back=`): starts with one slash, no scheme, no host.
    static func isLocalPath(_ s: String) -> Bool {
        s.hasPrefix("/") && !s.hasPrefix("//") && !s.contains("\\") && s.count <= 512
            && !s.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
