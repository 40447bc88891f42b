// Passkeys: the forms marked data-passkey="create" (register one) or "get" (sign in with
// one) hold the server's WebAuthn options in data-options. On submit the browser's
// authenticator answers them, and the answer goes to the server in the form's "credential"
// field. Without this script, or a browser without WebAuthn, the forms stay hidden.
(() => {
	"use strict";
	if (!window.PublicKeyCredential || !navigator.credentials) {
		return;
	}
	const decode = (s) => {
		s = s.replace(/-/g, "+").replace(/_/g, "/");
		while (s.length % 4) {
			s += "=";
		}
		const bin = atob(s);
		const bytes = new Uint8Array(bin.length);
		for (let i = 0; i < bin.length; i++) {
			bytes[i] = bin.charCodeAt(i);
		}
		return bytes.buffer;
	};
	const encode = (buf) => {
		let s = "";
		for (const b of new Uint8Array(buf)) {
			s += String.fromCharCode(b);
		}
		return btoa(s).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
	};
	const withIDs = (list) => (list || []).map((c) => Object.assign({}, c, { id: decode(c.id) }));
	const creation = (o) => {
		const pk = o.publicKey;
		pk.challenge = decode(pk.challenge);
		pk.user.id = decode(pk.user.id);
		pk.excludeCredentials = withIDs(pk.excludeCredentials);
		return { publicKey: pk };
	};
	const request = (o) => {
		const pk = o.publicKey;
		pk.challenge = decode(pk.challenge);
		pk.allowCredentials = withIDs(pk.allowCredentials);
		return { publicKey: pk };
	};
	const answer = (cred) => {
		const r = cred.response;
		const out = {
			id: cred.id,
			rawId: encode(cred.rawId),
			type: cred.type,
			clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
			response: { clientDataJSON: encode(r.clientDataJSON) },
		};
		if (cred.authenticatorAttachment) {
			out.authenticatorAttachment = cred.authenticatorAttachment;
		}
		if (r.attestationObject) {
			out.response.attestationObject = encode(r.attestationObject);
			if (r.getTransports) {
				out.response.transports = r.getTransports();
			}
		} else {
			out.response.authenticatorData = encode(r.authenticatorData);
			out.response.signature = encode(r.signature);
			if (r.userHandle) {
				out.response.userHandle = encode(r.userHandle);
			}
		}
		return JSON.stringify(out);
	};
	for (const form of document.querySelectorAll("form[data-passkey]")) {
		const field = form.querySelector('input[name="credential"]');
		form.hidden = false;
		for (const note of document.querySelectorAll(".passkey-unsupported")) {
			note.hidden = true;
		}
		form.addEventListener("submit", async (ev) => {
			if (field.value) {
				return;
			}
			ev.preventDefault();
			try {
				const options = JSON.parse(form.dataset.options);
				const cred = form.dataset.passkey === "create"
					? await navigator.credentials.create(creation(options))
					: await navigator.credentials.get(request(options));
				field.value = answer(cred);
			} catch (e) {
				// cancelled or refused: the server says so in the person's language
				field.value = JSON.stringify({ error: String((e && e.name) || e) });
			}
			form.submit();
		});
	}
})();
