/** @odoo-module **/

import { registry } from "@web/core/registry";

/**
 * A visitor opens a plan link, signs up as a person and reaches the payment page of
 * the signup (its sale order). The Python side checks the records afterwards.
 */
registry.category("web_tour.tours").add("coworking_signup_tour", {
    steps: () => [
        {
            content: "The plan page shows the plan",
            trigger: ".o_coworking_plan_summary h1:contains('Tour desk')",
        },
        {
            content: "The setup fee is shown",
            trigger: ".o_coworking_setup_fee:contains('99.00')",
        },
        {
            content: "CPF field is visible for a person",
            trigger: "input[name='cpf']:visible",
        },
        { trigger: "input[name='name']", run: "edit Joana Souza" },
        { trigger: "input[name='cpf']", run: "edit 529.982.247-25" },
        { trigger: "input[name='email']", run: "edit joana.souza@example.com" },
        { trigger: "input[name='phone']", run: "edit (21) 99876-5432" },
        { trigger: "input[name='zip']", run: "edit 20040-002" },
        { trigger: "input[name='street']", run: "edit Avenida Rio Branco" },
        { trigger: "input[name='street_number']", run: "edit 156" },
        { trigger: "input[name='district']", run: "edit Centro" },
        { trigger: "input[name='city']", run: "edit Rio de Janeiro" },
        { trigger: "select[name='state_code']", run: "select RJ" },
        { trigger: "input[name='password']", run: "edit tour-pass-123" },
        { trigger: "input[name='password_confirm']", run: "edit tour-pass-123" },
        { trigger: "input[name='provider_id']", run: "click" },
        {
            content: "Switching to a company shows the CNPJ and hides the CPF",
            trigger: "input#client_type_company",
            run: "click",
        },
        { trigger: "input[name='cnpj']:visible" },
        {
            content: "Back to a person",
            trigger: "input#client_type_individual",
            run: "click",
        },
        { trigger: "input[name='cpf']:visible" },
        {
            content: "A document over its limit is refused as soon as it is chosen",
            trigger: "input[type='file'][data-max-mb='1']",
            run() {
                const big = new File([new Uint8Array(2 * 1024 * 1024)], "scan.pdf", {
                    type: "application/pdf",
                });
                const files = new DataTransfer();
                files.items.add(big);
                this.anchor.files = files.files;
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        {
            content: "The visitor is told the document's limit",
            trigger: "input[type='file'][data-max-mb='1'].is-invalid",
            run() {
                if (!this.anchor.validationMessage.includes("1 MB")) {
                    throw new Error(`No size message: ${this.anchor.validationMessage}`);
                }
            },
        },
        {
            content: "Without the file (the document is optional) the form is valid again",
            trigger: "input[type='file'][data-max-mb='1']",
            run() {
                this.anchor.value = "";
                this.anchor.dispatchEvent(new Event("change", { bubbles: true }));
            },
        },
        { trigger: "input[type='file'][data-max-mb='1']:not(.is-invalid)" },
        { trigger: "input[name='terms_accepted']", run: "click" },
        {
            content: "Sign up",
            trigger: "button.o_coworking_submit",
            run: "click",
        },
        {
            content: "The payment page of the signup",
            trigger: "#o_payment_form, .o_payment_form",
        },
        {
            content: "It charges plan + setup fee",
            trigger: "#o_payment_summary_amount:contains('899.00')",
        },
    ],
});
