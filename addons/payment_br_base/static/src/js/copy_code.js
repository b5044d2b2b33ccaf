/** @odoo-module **/
// License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).

import publicWidget from "@web/legacy/js/public/public_widget";

/**
 * Copy buttons of the Brazilian payment pages (boleto digitable line, PIX copy and
 * paste): inside an element with `o_br_copy_scope`, a button `o_br_copy` copies the
 * value of the input named by its `data-target`.
 */
publicWidget.registry.BrCopyCode = publicWidget.Widget.extend({
    selector: ".o_br_copy_scope",
    events: {
        "click .o_br_copy": "_onClickCopy",
    },

    start() {
        // Tells the copy buttons are live (the lazy assets are loaded).
        this.el.classList.add("o_br_copy_ready");
        return this._super(...arguments);
    },

    async _onClickCopy(ev) {
        const button = ev.currentTarget;
        const input = this.el.querySelector(`#${button.dataset.target}`);
        if (!input) {
            return;
        }
        try {
            await navigator.clipboard.writeText(input.value);
        } catch {
            input.select();
            document.execCommand("copy");
        }
        button.classList.add("btn-success");
        setTimeout(() => button.classList.remove("btn-success"), 1500);
    },
});

export default publicWidget.registry.BrCopyCode;
