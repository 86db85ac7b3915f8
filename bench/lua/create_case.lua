-- POST /api/v1/cases with a bearer token (RAPPORT_TOKEN) for customer RAPPORT_CUSTOMER_ID.
local token = os.getenv("RAPPORT_TOKEN")
local customer = os.getenv("RAPPORT_CUSTOMER_ID") or "1"
local n = 0
wrk.method = "POST"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["Authorization"] = "Bearer " .. token
request = function()
  n = n + 1
  local body = string.format(
    '{"customer": %s, "subject": "wrk-created %d printer offline", "body": "Created by the load test; the printer on floor 3 is offline again.", "channel": "email", "priority": "normal"}',
    customer, n)
  return wrk.format("POST", "/api/v1/cases", nil, body)
end
