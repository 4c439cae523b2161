// Signing with a USB token through the local signing agent (`vanban signing-agent` on the
// person's computer), for a [data-token-sign] block: read the token's certificate from the
// agent, ask the server to prepare the document(s) for it, have the agent sign the digests
// (it asks the PIN once), give the values back to the server, then go where it says.
// A file, not inline script: the Content-Security-Policy allows connect-src to the agent.
"use strict";

(() => {
  const PAIRING_KEY = "vanban-signing-agent-pairing";

  function csrfToken(block) {
    const field = block.querySelector("input[name=csrfmiddlewaretoken]");
    return field ? field.value : "";
  }

  async function call(url, options, what) {
    let response;
    try {
      response = await fetch(url, options);
    } catch (err) {
      throw new Error(what);
    }
    let body = {};
    try {
      body = await response.json();
    } catch (err) {
      body = {};
    }
    if (!response.ok && !(body && body.redirect)) {
      throw new Error(body.message || what);
    }
    return body;
  }

  async function sign(block) {
    const status = block.querySelector("[data-token-status]");
    const pairingField = block.querySelector("[data-token-pairing]");
    const say = (text) => { status.textContent = text; };
    const agent = block.dataset.agent;
    const pairing = (pairingField && pairingField.value.trim()) || localStorage.getItem(PAIRING_KEY) || "";
    const agentHeaders = { "X-Vanban-Agent": pairing };
    const serverHeaders = { "Content-Type": "application/json", "X-CSRFToken": csrfToken(block) };
    const unreachable = "Không kết nối được phần mềm ký số trên máy tính: hãy chạy “vanban signing-agent” rồi thử lại.";
    say("Đang đọc chứng thư số trên thiết bị ký số…");
    const cert = await call(agent + "/v1/certificate", { headers: agentHeaders }, unreachable);
    if (pairing) localStorage.setItem(PAIRING_KEY, pairing);
    let documents = [];
    if (block.dataset.batch !== undefined) {
      const form = document.getElementById(block.dataset.batch);
      documents = Array.from(form.querySelectorAll("input[name=van_ban]:checked")).map((b) => Number(b.value));
      if (!documents.length) throw new Error("Hãy chọn văn bản cần ký.");
    }
    say("Đang chuẩn bị văn bản để ký…");
    const prepared = await call(block.dataset.prepare, {
      method: "POST",
      headers: serverHeaders,
      credentials: "same-origin",
      body: JSON.stringify({ certificate: cert.certificate, chain: cert.chain, documents: documents }),
    }, "Máy chủ không chuẩn bị được văn bản để ký.");
    say("Hãy nhập mã PIN trên phần mềm ký số (một lần cho " + prepared.items.length + " văn bản)…");
    const signed = await call(agent + "/v1/sign", {
      method: "POST",
      headers: Object.assign({ "Content-Type": "application/json" }, agentHeaders),
      body: JSON.stringify({ digest_algorithm: prepared.digest_algorithm, digests: prepared.items.map((i) => i.digest) }),
    }, unreachable);
    say("Đang gắn chữ ký số vào văn bản…");
    const values = {};
    prepared.items.forEach((item, i) => { values[item.token] = signed.signatures[i]; });
    const done = await call(block.dataset.finish, {
      method: "POST",
      headers: serverHeaders,
      credentials: "same-origin",
      body: JSON.stringify({ signatures: values }),
    }, "Máy chủ không nhận được chữ ký số.");
    window.location.assign(done.redirect);
  }

  document.addEventListener("click", (event) => {
    const button = event.target.closest("[data-token-sign-button]");
    if (!button) return;
    const block = button.closest("[data-token-sign]");
    button.disabled = true;
    sign(block).catch((err) => {
      block.querySelector("[data-token-status]").textContent = err.message;
      button.disabled = false;
    });
  });
})();
