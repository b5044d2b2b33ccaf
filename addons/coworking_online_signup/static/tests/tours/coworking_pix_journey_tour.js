/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * The demo's main journey in the browser: a visitor opens a plan link, signs up,
 * chooses PIX, reaches the payment page, pays and gets the PIX code to pay with.
 * The operator's confirmation and the member's activation are checked in Python.
 */
registry.category("web_tour.tours").add("coworking_pix_journey_tour", {
    steps: () => [
        {
            content: "The plan page shows the plan",
            trigger: ".o_coworking_plan_summary h1:contains('Demo desk')",
        },
        { trigger: "input[name='name']", run: "edit Paula Pix" },
        { trigger: "input[name='cpf']", run: "edit 390.533.447-05" },
        { trigger: "input[name='email']", run: "edit paula.pix@example.com" },
        { trigger: "input[name='phone']", run: "edit (11) 98888-7777" },
        { trigger: "input[name='password']", run: "edit paula-pass-123" },
        { trigger: "input[name='password_confirm']", run: "edit paula-pass-123" },
        {
            content: "Choose PIX",
            trigger: ".form-check:contains('PIX') input[name='provider_id']",
            run: "click",
        },
        { trigger: "input[name='terms_accepted']", run: "click" },
        { trigger: "button.o_coworking_submit", run: "click" },
        {
            content: "The payment page offers PIX",
            trigger: "#o_payment_form:contains('PIX'), .o_payment_form:contains('PIX')",
        },
        {
            content: "It charges the plan",
            trigger: "#o_payment_summary_amount:contains('350')",
        },
        {
            content: "Pay",
            trigger: "button[name='o_payment_submit_button']:enabled",
            run: "click",
        },
        {
            content: "The PIX code to pay with, and its QR code",
            trigger: ".o_pix_br .o_pix_br_qr",
        },
        { trigger: ".o_pix_br input.font-monospace" },
    ],
});
