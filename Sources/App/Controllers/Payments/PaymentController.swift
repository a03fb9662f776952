import Domain
import Foundation
import Vapor

/// The pages of paying providers: the provider's payments, the municipality's close and invoices, an invoice with its
/// registers. Each is the query and the pure page model of `Views/Payments`.
enum PaymentController {
    static func today(_ req: Request) throws -> LocalDate {
        CertificateService.today(region: try req.requirePrincipal().regionCode, at: req.now)
    }

    /// A refusal shown on the page (422) under its field.
    static func errors(_ error: any Error) throws -> [FieldError] {
        switch error {
        case let e as AppError where e.status == .conflict || e.status == .unprocessableEntity:
            return e.fields.isEmpty ? [FieldError(field: "status", message: e.reason)] : e.fields
        case let e as ValidationFailure: return e.errors
        case let e as FieldError: return [e]
        default: throw error
        }
    }

    // MARK: provider

    static func providerPage(req: Request) async throws -> View {
        try await renderProvider(req, errors: [], notice: req.query[String.self, at: "done"].map(ProviderPaymentsPage.notice))
    }

    static func renderProvider(_ req: Request, errors: [FieldError], notice: String? = nil, month: Month? = nil) async throws -> View {
        let p = try req.requirePrincipal()
        let providerID = try PaymentAPIController.providerID(req)
        let today = try today(req)
        let chosen = month ?? req.query[String.self, at: "month"].flatMap(Month.init(input:)) ?? Month(today).previous
        let model = try await ProviderPaymentsPage.query(providerID: providerID, principal: p, month: chosen, today: today,
                                                         payments: req.navigator.payments, on: req.db.sql)
        return try await req.view.render("cabinet/page", ProviderPaymentsPage.context(model, errors: errors, notice: notice, layout: req.layout("Оплата услуг")))
    }

    static func report(req: Request) async throws -> Response {
        let providerID = try PaymentAPIController.providerID(req)
        let input = try CompletenessInput(InputBody.body(req))
        do {
            let (group, month) = try input.validate().mapError(AppError.init).get()
            _ = try await req.navigator.payments.completeness.report(providerID: providerID, groupID: group, month: month, percent: input.completeness,
                                                                     reason: input.reason, by: try req.requirePrincipal().userID)
            return req.redirect(to: SiteRoute.providerPayments.url + "?month=\(month.key)&done=completeness", redirectType: .normal)
        } catch {
            return try await renderProvider(req, errors: try errors(error), month: Month(input: input.month)).encodeResponse(status: .unprocessableEntity, for: req)
        }
    }

    static func advance(req: Request) async throws -> Response {
        let providerID = try PaymentAPIController.providerID(req)
        let month = try InputBody.body(req).text("month").flatMap(Month.init(input:)) ?? Month(try today(req))
        do {
            _ = try await req.navigator.payments.invoices.requestAdvance(providerID: providerID, month: month, by: .person(try req.requirePrincipal()))
        } catch {
            return try await renderProvider(req, errors: try errors(error)).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.providerPayments.url + "?done=advance", redirectType: .normal)
    }

    // MARK: municipality

    static func municipalityPage(req: Request) async throws -> View {
        try await renderMunicipality(req, errors: [], notice: req.query[String.self, at: "done"].map(MunicipalityPaymentsPage.notice))
    }

    static func renderMunicipality(_ req: Request, errors: [FieldError], notice: String? = nil) async throws -> View {
        let p = try req.requirePrincipal()
        let mid = try ProgramController.municipalityID(req)
        let today = try today(req)
        let month = req.query[String.self, at: "month"].flatMap(Month.init(input:)) ?? Month(today).previous
        let model = try await MunicipalityPaymentsPage.query(municipalityID: mid, principal: p, today: today, month: month,
                                                             payments: req.navigator.payments, on: req.db.sql)
        return try await req.view.render("cabinet/page", MunicipalityPaymentsPage.context(model, errors: errors, notice: notice,
                                                                                         layout: req.layout("Оплата поставщикам")))
    }

    static func closeMonth(req: Request) async throws -> Response {
        let mid = try ProgramController.municipalityID(req)
        let body = try InputBody.body(req)
        do {
            guard let month = try body.text("month").flatMap(Month.init(input:)) else {
                throw AppError(Refusal("invalid_month", field: "month", "Месяц указывается как ГГГГ-ММ.", kind: .invalid))
            }
            _ = try await req.navigator.payments.closer.close(municipalityID: mid, month: month, by: .person(try req.requirePrincipal()))
        } catch {
            return try await renderMunicipality(req, errors: try errors(error)).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.municipalityPayments.url + "?done=closed", redirectType: .normal)
    }

    static func step(_ req: Request, _ event: @escaping (InputBody) throws -> InvoiceEvent) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let p = try req.requirePrincipal()
        do {
            let e = try event(try InputBody.body(req))
            _ = try await req.navigator.payments.invoices.step(id, e, by: p)
        } catch {
            return try await renderMunicipality(req, errors: try errors(error)).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.municipalityPayments.url + "?done=invoice", redirectType: .normal)
    }

    static func take(req: Request) async throws -> Response { try await step(req) { _ in .take } }

    static func decide(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let p = try req.requirePrincipal()
        do {
            let input = try DisputeDecisionInput(InputBody.body(req))
            let (uphold, completeness) = try input.validate().mapError(AppError.init).get()
            _ = try await req.navigator.payments.disputes.decide(id, uphold: uphold, completeness: completeness, decision: input.text, by: p)
        } catch {
            return try await renderMunicipality(req, errors: try errors(error)).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return req.redirect(to: SiteRoute.municipalityPayments.url + "?done=dispute", redirectType: .normal)
    }

    static func pay(req: Request) async throws -> Response {
        try await step(req) { b in try InvoicePaymentInput(b).validate().mapError(AppError.init).get() }
    }

    static func delete(req: Request) async throws -> Response {
        try await step(req) { b in .delete(reason: try b.text("reason") ?? "") }
    }

    // MARK: an invoice

    static func visible(_ req: Request) async throws -> InvoiceService.Invoice {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let p = try req.requirePrincipal()
        guard p.role != .parent else { throw Abort(.forbidden) }
        return try await req.navigator.payments.invoices.visible(id, to: p)
    }

    static func invoice(req: Request) async throws -> View {
        let i = try await visible(req)
        let lines = try await req.navigator.payments.invoices.lines(of: i.id)
        return try await req.view.render("cabinet/page", InvoicePage.context(i, lines: lines, layout: req.layout("Счёт № \(i.number)")))
    }

    static func rows(_ req: Request) async throws -> (InvoiceService.Invoice, [[String]]) {
        let i = try await visible(req)
        let lines = try await req.navigator.payments.invoices.lines(of: i.id)
        return (i, [InvoicePage.headers] + lines.map(InvoicePage.row) + [InvoicePage.totals(lines)])
    }

    static func csv(req: Request) async throws -> Response {
        let (i, rows) = try await rows(req)
        let text = rows.map { $0.map { "\"" + $0.replacingOccurrences(of: "\"", with: "\"\"") + "\"" }.joined(separator: ";") }.joined(separator: "\r\n") + "\r\n"
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.add(name: .contentDisposition, value: "attachment; filename=\"invoice-\(i.id.lowercasedString).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: "\u{FEFF}" + text))
    }

    static func xlsx(req: Request) async throws -> Response {
        let (i, rows) = try await rows(req)
        let data = try XLSXWriter.workbook(sheet: "Счёт \(i.month.key)", rows: rows)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        headers.add(name: .contentDisposition, value: "attachment; filename=\"invoice-\(i.id.lowercasedString).xlsx\"")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
