import Domain
import Fluent
import Vapor

/// Enrollment pages: the parent's plan and application, the family's and the provider's lists, the readers' list
/// and one contract with each side's steps. Each handler parses, calls one query or service, and renders the page
/// built by its pure builder (`Views/Enrollment`). Everything works without JavaScript.
enum EnrollmentController {
    // MARK: the parent chooses and applies

    static func enrollPage(req: Request) async throws -> Response {
        try await renderEnroll(req, try ApplicationInput(InputBody.query(req)), errors: [])
    }

    static func renderEnroll(_ req: Request, _ input: ApplicationInput, errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        var errors = errors
        if !input.start.trimmingCharacters(in: .whitespaces).isEmpty && input.startDate == nil && !errors.contains(where: { $0.field == "start" }) {
            errors.append(FieldError(field: "start", message: "Дата начала — в формате ДД.ММ.ГГГГ."))
        }
        let model = try await EnrollPage.query(groupID: input.group, childID: input.child, start: input.startDate, principal: try req.requirePrincipal(),
                                               reader: req.navigator.enrollment.reader, now: req.now, on: req.db)
        let page = EnrollPage.context(model, startText: input.start, errors: errors, layout: req.layout("Запись: \(model.programName)"))
        return try await req.view.render("cabinet/page", page).encodeResponse(status: status, for: req)
    }

    /// Applies (`waitlist` false) or joins the waiting list; a refusal is shown on the plan page.
    static func submit(_ req: Request, waitlist: Bool) async throws -> Response {
        let input = try ApplicationInput(InputBody.body(req))
        let valid: ApplicationInput.Valid
        switch input.validate() {
        case .success(let v): valid = v
        case .failure(let e): return try await renderEnroll(req, input, errors: e.errors, status: .unprocessableEntity)
        }
        let child = try await req.find(ChildModel.self, valid.child, for: .write)
        let enrollment = req.navigator.enrollment
        do {
            if waitlist {
                let plan = try await enrollment.reader.plan(child: child, groupID: valid.group, start: valid.start, now: req.now, on: req.db)
                _ = try await enrollment.waitingLists.join(child: child, plan: plan)
                return req.redirect(to: SiteRoute.familyApplications.url + "?done=waitlist", redirectType: .normal)
            }
            let c = try await enrollment.applications.apply(.init(childID: valid.child, family: nil, groupID: valid.group, start: valid.start))
            return req.redirect(to: SiteRoute.familyApplication(c.id).url + "?done=applied", redirectType: .normal)
        } catch let e as Refusal where e.kind != .forbidden {
            return try await renderEnroll(req, input, errors: [EnrollmentViews.refusalError(e)], status: AppError(e).status)
        }
    }

    static func apply(req: Request) async throws -> Response { try await submit(req, waitlist: false) }
    static func joinWaitlist(req: Request) async throws -> Response { try await submit(req, waitlist: true) }

    // MARK: lists

    static func familyList(req: Request) async throws -> View {
        let model = try await FamilyApplicationsPage.query(principal: try req.requirePrincipal(), waitingLists: req.navigator.enrollment.waitingLists,
                                                           on: req.db)
        let notice = req.query[String.self, at: "done"] == "waitlist"
            ? "Ребёнок поставлен в очередь. Когда место освободится, вы получите предложение." : nil
        return try await req.view.render("cabinet/page", FamilyApplicationsPage.context(model, notice: notice, layout: req.layout("Заявки и договоры")))
    }

    static func providerList(req: Request) async throws -> View {
        let model = try await ProviderApplicationsPage.query(principal: try req.requirePrincipal(),
                                                             groupID: req.query[String.self, at: "group"].flatMap(UUID.init(uuidString:)), on: req.db)
        return try await req.view.render("cabinet/page", ProviderApplicationsPage.context(model, layout: req.layout("Заявки")))
    }

    /// The municipality (its territory), the operator and a monitor (the region or their municipality): every contract, read-only.
    static func contracts(req: Request) async throws -> View {
        let model = try await ContractsPage.query(principal: try req.requirePrincipal(),
                                                  status: req.query[String.self, at: "status"].flatMap(ContractStatus.init(rawValue:)), on: req.db)
        return try await req.view.render("cabinet/page", ContractsPage.context(model, layout: req.layout("Договоры")))
    }

    // MARK: one application or contract

    static func familyShow(req: Request) async throws -> View { try await show(req, as: .family) }
    static func providerShow(req: Request) async throws -> View { try await show(req, as: .provider) }
    static func readerShow(req: Request) async throws -> View { try await show(req, as: .reader) }

    static func show(_ req: Request, as side: ContractPage.Side, errors: [FieldError] = []) async throws -> View {
        let model = try await ContractPage.query(id: req.parameters.get("id", as: UUID.self), principal: try req.requirePrincipal(), now: req.now,
                                                on: req.db)
        let page = ContractPage.context(model, side: side, done: req.query[String.self, at: "done"], errors: errors,
                                        layout: req.layout("Договор \(model.contract.number)"))
        return try await req.view.render("cabinet/page", page)
    }

    // MARK: steps from the pages

    static func step(_ req: Request, _ step: ContractEvent, side: ContractPage.Side, done: String, back: (UUID) -> String) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        _ = try await req.find(ContractModel.self, id, for: .read)
        do {
            _ = try await req.navigator.enrollment.steps.step(id, step, by: p)
            return req.redirect(to: back(id) + "?done=" + done, redirectType: .normal)
        } catch let e as Refusal where e.kind != .forbidden {
            return try await show(req, as: side, errors: [EnrollmentViews.refusalError(e)]).encodeResponse(status: AppError(e).status, for: req)
        }
    }

    static func familyStep(_ req: Request, _ event: ContractEvent, done: String) async throws -> Response {
        try await step(req, event, side: .family, done: done, back: { SiteRoute.familyApplication($0).url })
    }

    static func providerStep(_ req: Request, _ event: ContractEvent, done: String) async throws -> Response {
        try await step(req, event, side: .provider, done: done, back: { SiteRoute.providerApplication($0).url })
    }

    static func familyWithdraw(req: Request) async throws -> Response { try await familyStep(req, .withdraw, done: "withdraw") }
    static func familyAccept(req: Request) async throws -> Response { try await familyStep(req, .accept, done: "accept") }
    static func familyNotice(req: Request) async throws -> Response { try await familyStep(req, .notice, done: "notice") }
    static func providerOffer(req: Request) async throws -> Response { try await providerStep(req, .offer, done: "offer") }
    static func providerNotice(req: Request) async throws -> Response { try await providerStep(req, .notice, done: "notice") }

    static func providerReject(req: Request) async throws -> Response {
        try await providerStep(req, .reject(reason: try RejectionInput(InputBody.body(req)).reason), done: "reject")
    }

    static func familyProlongation(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        _ = try await req.find(ContractModel.self, id, for: .read)
        let prolong = try ProlongationInput(InputBody.body(req)).prolong ?? false
        do {
            _ = try await req.navigator.enrollment.prolongations.choose(id, prolong: prolong, by: p)
            return req.redirect(to: SiteRoute.familyApplication(id).url + "?done=" + (prolong ? "prolong" : "decline"), redirectType: .normal)
        } catch let e as Refusal where e.kind != .forbidden {
            return try await show(req, as: .family, errors: [EnrollmentViews.refusalError(e)]).encodeResponse(status: AppError(e).status, for: req)
        }
    }

    /// The transfer's plan: what ends, what comes back, the new split; confirmed by one POST.
    static func transferPage(req: Request) async throws -> View {
        try await renderTransfer(req, group: req.query[String.self, at: "group"].flatMap(UUID.init(uuidString:)), errors: [])
    }

    static func renderTransfer(_ req: Request, group: UUID?, errors: [FieldError]) async throws -> View {
        guard let id = req.parameters.get("id", as: UUID.self), let group else { throw Abort(.notFound) }
        let plan = try await req.navigator.enrollment.transfers.plan(contractID: id, groupID: group, by: try req.requirePrincipal())
        let program = try await ProgramModel.find(plan.group.programID, on: req.db)?.name ?? ""
        return try await req.view.render("cabinet/page", TransferPage.context(plan, groupTitle: "«\(program)», \(plan.group.name)", errors: errors,
                                                                             layout: req.layout("Перевод в другую группу")))
    }

    static func transfer(req: Request) async throws -> Response {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        let group = try InputBody.body(req).uuid("group")
        guard let group else { throw Abort(.notFound) }
        do {
            let (_, new) = try await req.navigator.enrollment.transfers.transfer(contractID: id, groupID: group, by: try req.requirePrincipal())
            return req.redirect(to: SiteRoute.familyApplication(new.id).url + "?done=applied", redirectType: .normal)
        } catch let e as Refusal where e.kind != .forbidden {
            return try await renderTransfer(req, group: group, errors: [FieldError(field: "status", message: e.message)])
                .encodeResponse(status: AppError(e).status, for: req)
        }
    }

    /// The parent disputes a month of the contract («занятия не проводились»).
    static func familyDispute(req: Request) async throws -> Response {
        let p = try req.requirePrincipal()
        guard let id = req.parameters.get("id", as: UUID.self) else { throw Abort(.notFound) }
        _ = try await req.find(ContractModel.self, id, for: .read)
        let input = try DisputeInput(InputBody.body(req))
        do {
            guard let month = Month(input: input.month) else {
                throw AppError(Refusal("invalid_month", field: "month", "Выберите месяц.", kind: .invalid))
            }
            _ = try await req.navigator.payments.disputes.open(contractID: id, month: month, text: input.text, by: p)
            return req.redirect(to: SiteRoute.familyApplication(id).url + "?done=dispute", redirectType: .normal)
        } catch let e as AppError where e.status == .conflict || e.status == .unprocessableEntity {
            return try await show(req, as: .family, errors: e.fields.isEmpty ? [FieldError(field: "text", message: e.reason)] : e.fields.map {
                FieldError(field: $0.field == "month" ? "text" : $0.field, message: $0.message)
            }).encodeResponse(status: e.status, for: req)
        }
    }

    static func leaveWaitlist(req: Request) async throws -> Response {
        let e = try await req.find(WaitlistModel.self, req.parameters.get("id", as: UUID.self), for: .write)
        do {
            try await req.navigator.enrollment.waitingLists.leave(e, by: req.requirePrincipal())
        } catch let r as Refusal where r.kind != .forbidden {}
        return req.redirect(to: SiteRoute.familyApplications.url, redirectType: .normal)
    }
}
