export const consoleCss = `*{box-sizing:border-box}body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:#1f2933;background:#f5f7fa}
a{color:#1d4ed8}a:focus,button:focus,input:focus,select:focus{outline:3px solid #93c5fd;outline-offset:1px}
.skip{position:absolute;left:-999px}.skip:focus{left:8px;top:8px;background:#fff;padding:6px;z-index:2}
.top{display:flex;gap:20px;align-items:center;padding:10px 24px;background:#102a43;color:#fff;flex-wrap:wrap}
.top a.brand{color:#fff;font-weight:700;text-decoration:none;font-size:17px}
.search{display:flex;gap:8px;align-items:center;flex:1;min-width:280px}.search label{font-size:13px;color:#d9e2ec}
.search input{flex:1;padding:7px 10px;border:1px solid #486581;border-radius:6px;background:#fff;color:#102a43}
.who{display:flex;gap:12px;align-items:center;font-size:14px}.who form{margin:0}.role{background:#334e68;border-radius:10px;padding:1px 8px;margin-left:4px;font-size:12px}
button{font:inherit;padding:7px 14px;border-radius:6px;border:1px solid #9fb3c8;background:#fff;color:#102a43;cursor:pointer}
button.primary{background:#1d4ed8;border-color:#1d4ed8;color:#fff}button.danger{background:#fff;border-color:#b91c1c;color:#b91c1c}
button.link{background:none;border:1px solid #829ab1;color:#fff}
.frame{display:flex;gap:24px;padding:24px;max-width:1280px;margin:0 auto}
nav{width:230px;flex-shrink:0}nav h2{font-size:13px;text-transform:uppercase;letter-spacing:.05em;color:#52606d;margin:0 0 8px}
nav ul{list-style:none;margin:0;padding:0}nav a{display:flex;justify-content:space-between;padding:8px 10px;border-radius:6px;text-decoration:none;color:#243b53}
nav a[aria-current=page],nav a:hover{background:#dbeafe;color:#1e3a8a}
.count{background:#e4e7eb;border-radius:10px;padding:0 8px;font-size:13px;color:#243b53}.count.big{font-size:16px;vertical-align:middle}
main{flex:1;min-width:0}h1{font-size:24px;margin:0 0 6px}h2{font-size:17px;margin:0 0 12px}h3{font-size:15px;margin:16px 0 8px}
.title{display:flex;gap:12px;align-items:center}.title .button{margin-left:auto}
a.button{display:inline-block;padding:7px 14px;border-radius:6px;border:1px solid #1d4ed8;color:#1d4ed8;text-decoration:none;background:#fff}
.card{background:#fff;border:1px solid #d9e2ec;border-radius:10px;padding:18px 20px;margin:16px 0}.card.narrow{max-width:420px;margin:40px auto}
.grid{display:grid;grid-template-columns:repeat(auto-fit,minmax(320px,1fr));gap:0 16px}
table{border-collapse:collapse;width:100%;background:#fff}th,td{text-align:left;padding:8px;border-bottom:1px solid #e4e7eb;vertical-align:top}
caption{text-align:left;font-weight:600;padding:8px 0}.n{text-align:right}.strong{font-weight:700}
dl{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0}dt{color:#52606d}dd{margin:0}
.muted,.hint{color:#52606d}.hint{font-size:13px;display:block}.error{background:#fef2f2;border:1px solid #fca5a5;color:#991b1b;padding:10px 12px;border-radius:6px}
.status{display:inline-block;border-radius:12px;padding:1px 10px;font-size:13px;background:#e4e7eb;color:#243b53;white-space:nowrap}
.s-awaiting_review,.s-payment_submitted{background:#fef3c7;color:#78350f}.s-overdue,.s-disputed,.s-payment_rejected{background:#fee2e2;color:#7f1d1d}
.s-ordered,.s-deferred,.s-awaiting_payment{background:#dbeafe;color:#1e3a8a}.s-completed{background:#dcfce7;color:#14532d}.s-rejected,.s-cancelled{background:#e5e7eb;color:#374151}
form.action{border-top:1px solid #e4e7eb;padding:10px 0}form.action:first-of-type{border-top:0;padding-top:0}
label{display:block;font-size:13px;color:#334e68;margin-bottom:2px}input[type=text],input[type=email],input[type=password],select{width:100%;padding:7px 10px;border:1px solid #9fb3c8;border-radius:6px;font:inherit}
form p{margin:6px 0}.decide{display:flex;gap:12px}form.row{display:flex;gap:12px;align-items:flex-end;flex-wrap:wrap}.order-entry .row{display:flex;gap:12px;flex-wrap:wrap;align-items:flex-start}.row>p{flex:1 1 180px}.row>p.short{flex:0 1 110px}table.lines input,table.lines select{width:100%}table.lines th:nth-child(2){width:36%}table.lines th:nth-child(3){width:10%}table.lines th:nth-child(5){width:16%}table.lines input.n{text-align:right}.top a.enter-order{white-space:nowrap;color:#fff;border:1px solid #829ab1;border-radius:6px;padding:6px 12px;text-decoration:none;font-size:14px}.top a.enter-order:hover,.top a.enter-order[aria-current]{background:#243b53}form.row p{flex:1;min-width:180px}
.inline-form{display:inline-flex;gap:6px;align-items:center;margin:2px 8px 2px 0}.inline-form select{width:auto}
.visually-hidden{position:absolute;width:1px;height:1px;overflow:hidden;clip:rect(0 0 0 0);white-space:nowrap}code{background:#f0f4f8;padding:1px 6px;border-radius:4px}fieldset{border:1px solid #d9e2ec}legend{font-weight:600;padding:0 6px}fieldset.inline{border:0;padding:0;margin:8px 0}
.check{display:inline-flex;gap:6px;align-items:center;margin-right:16px}input[type=url]{width:100%;max-width:36rem}.check label{display:inline;margin:0;font-size:15px;color:#1f2933}
textarea{width:100%;padding:7px 10px;border:1px solid #9fb3c8;border-radius:6px;font:13px/1.4 ui-monospace,monospace}
.field-error{display:block;color:#991b1b;font-size:13px}[aria-invalid=true]{border-color:#b91c1c}.notice{background:#ecfdf5;border:1px solid #6ee7b7;color:#065f46;padding:10px 12px;border-radius:6px}.instructions{max-width:860px;margin:24px auto;padding:0 16px}.instructions .lead{font-size:17px}.warning{background:#fffbeb;border:1px solid #f59e0b;color:#78350f;padding:10px 12px;border-radius:6px}ul.plain{list-style:none;padding:0;margin:0}ul.plain li{padding:4px 0}
ol.timeline{list-style:none;margin:0;padding:0}ol.timeline li{padding:8px 0;border-bottom:1px solid #f0f4f8}time{color:#52606d;font-variant-numeric:tabular-nums}.by{color:#334e68}.detail{color:#52606d}
@media (max-width:800px){.frame{flex-direction:column}nav{width:auto}}`;
