/** @odoo-module **/

import { _t } from "@web/core/l10n/translation";
import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * Coworking signup form: shows the CPF or the CNPJ block for the chosen kind of
 * client, shows and requires the address when the plan asks for it or the chosen
 * payment provider needs it (a boleto, F16), refuses a document larger than its
 * limit as soon as it is chosen (B7: the server refuses it too, and a request too
 * large for the server would get no form back) and disables the button after the
 * first click (B2; the server also refuses a second submission of the same form).
 */
publicWidget.registry.CoworkingSignupForm = publicWidget.Widget.extend({
    selector: ".o_coworking_signup_form",
    events: {
        "change input[name='client_type']": "_onChangeClientType",
        "change input[name='provider_id']": "_onChangeProvider",
        "change input[type='file'][data-max-bytes]": "_onChangeFile",
        submit: "_onSubmit",
    },

    start() {
        this._onChangeClientType();
        this._onChangeProvider();
        return this._super(...arguments);
    },

    _onChangeClientType() {
        const checked = this.el.querySelector("input[name='client_type']:checked");
        const kind = checked ? checked.value : "individual";
        for (const el of this.el.querySelectorAll(".o_coworking_company")) {
            el.style.display = kind === "company" ? "" : "none";
        }
        for (const el of this.el.querySelectorAll(".o_coworking_individual")) {
            el.style.display = kind === "individual" ? "" : "none";
        }
    },

    _onChangeProvider() {
        const ids = (this.el.dataset.addressProviders || "").split(",").filter(Boolean);
        const checked = this.el.querySelector("input[name='provider_id']:checked");
        const providerNeedsAddress = Boolean(checked && ids.includes(checked.value));
        const mode = this.el.dataset.addressMode || "optional";
        const required = providerNeedsAddress || mode === "required";
        const block = this.el.querySelector(".o_coworking_address_block");
        if (block) {
            // a plan that does not ask for the address still shows it when the
            // chosen payment method needs it (F16)
            block.style.display = mode === "hidden" && !providerNeedsAddress ? "none" : "";
        }
        const optional = this.el.querySelector(".o_coworking_address_optional");
        if (optional) {
            optional.style.display = required ? "none" : "";
        }
        for (const name of ["zip", "street", "street_number", "district", "city", "state_code"]) {
            const input = this.el.querySelector(`[name='${name}']`);
            if (input) {
                input.required = required;
            }
        }
    },

    _onChangeFile(ev) {
        const input = ev.currentTarget;
        const file = input.files && input.files[0];
        const tooLarge = Boolean(file && file.size > Number(input.dataset.maxBytes));
        input.setCustomValidity(
            tooLarge
                ? _t("This file is too large: at most %(size)s MB.", {
                      size: input.dataset.maxMb,
                  })
                : ""
        );
        input.classList.toggle("is-invalid", tooLarge);
        if (tooLarge) {
            input.reportValidity();
        }
    },

    _onSubmit() {
        const button = this.el.querySelector(".o_coworking_submit");
        if (button) {
            button.disabled = true;
            button.classList.add("disabled");
        }
    },
});

export default publicWidget.registry.CoworkingSignupForm;
