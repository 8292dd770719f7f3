-- bench/peers/intake.lua - the posko intake as a careful developer would
-- write it with OpenResty's Lua module (Debian's libnginx-mod-http-lua),
-- for bench/peers.sh: the same form, the same rules, a record appended to
-- a file per nginx worker, 201 JSON with a tracking code.
--
--   init_worker_by_lua_block { require("intake").init("/dir") }
--   content_by_lua_block     { require("intake").handle("flush") }
--                            -- or "fsync", or "thread" (thread_pool luasync)
--
-- "flush": io.open(path, "a") and file:flush() after each record: one
--   write() per request, in the page cache; survives nginx dying, not the
--   machine (no fsync).
-- "fsync": the file opened with O_APPEND through LuaJIT's FFI, write() and
--   fdatasync() per request.  Durable like posko, but the fdatasync blocks
--   the worker's event loop: the Lua module has no non-blocking file API.
-- "thread": the same write() and fdatasync(), run in nginx's thread pool
--   "luasync" with ngx.run_worker_thread (experimental in this version of
--   the module): durable, and the event loop goes on meanwhile.  Each
--   request syncs on its own; concurrent syncs share ext4's journal commits.
--
-- The rules are those of include/posko_form.c: required jenis, kategori
-- and uraian; the lists of allowed values; lengths in characters; strict
-- UTF-8 without NUL; values tidied (CR LF to LF, trimmed) before checking.
-- The locations set client_body_buffer_size 64k: get_post_args reads only
-- a body held in memory, and the longest allowed form is about 50 KB.
-- A record is one line: kode, received_at and the 11 fields, tab-separated,
-- with backslash, tab and line feed escaped.

local ffi = require "ffi"

ffi.cdef [[
int open(const char *path, int flags, int mode);
ssize_t write(int fd, const void *buf, size_t n);
int fdatasync(int fd);
]]

local O_WRONLY, O_CREAT, O_APPEND, O_CLOEXEC = 0x1, 0x40, 0x400, 0x80000 -- Linux

local function set(list)
    local s = {}
    for _, v in ipairs(list) do s[v] = true end
    return s
end

-- name, required, maximum characters, allowed values, character class
local FIELDS = {
    { "jenis", true, 20, set { "kritik", "saran", "aduan", "informasi" } },
    { "pelapor", false, 20, set { "jemaah", "petugas" } },
    { "kategori", true, 30, set { "akomodasi", "konsumsi", "transportasi",
        "kesehatan", "bimbingan_ibadah", "petugas", "dokumen", "lainnya" } },
    { "lokasi", false, 20, set { "makkah", "madinah", "jeddah", "arafah",
        "muzdalifah", "mina", "embarkasi", "lainnya" } },
    { "embarkasi", false, 3, set { "BTJ", "KNO", "BTH", "PDG", "PLM", "JKG",
        "JKS", "KJT", "SOC", "SUB", "BPN", "BDJ", "UPG", "LOP" } },
    { "kloter", false, 12, nil, "kloter" },
    { "uraian", true, 4000 },
    { "nama", false, 100 },
    { "telepon", false, 20, nil, "phone" },
    { "email", false, 254, nil, "email" },
    { "rating", false, 1, set { "1", "2", "3", "4", "5" } },
}

local CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
local ESCAPES = { ["\\"] = "\\\\", ["\t"] = "\\t", ["\n"] = "\\n" }

local M = {}
local flush_file, fsync_fd, thread_fd, urandom

local function open_append(path)
    local fd = ffi.C.open(path, bit.bor(O_WRONLY, O_CREAT, O_APPEND, O_CLOEXEC),
        420) -- 0644
    assert(fd >= 0, "cannot open " .. path)
    return fd
end

function M.init(dir)
    local pid = ngx.worker.pid()
    flush_file = assert(io.open(dir .. "/lua-flush-" .. pid .. ".tsv", "a"))
    fsync_fd = open_append(dir .. "/lua-fsync-" .. pid .. ".tsv")
    thread_fd = open_append(dir .. "/lua-thread-" .. pid .. ".tsv")
    urandom = assert(io.open("/dev/urandom", "rb")) -- buffered: 4 KiB reads
end

-- appends one record and waits until it is on disk; true when it is
-- (called in the event loop, or in a pool thread with its own Lua state)
function M.append_sync(fd, record)
    return ffi.C.write(fd, record, #record) == #record
        and ffi.C.fdatasync(fd) == 0
end

-- the reason a tidied, non-empty value breaks its field's rule, or nil
local function check(field, v)
    local max, values, class = field[3], field[4], field[5]
    if values then  -- every allowed value is ASCII: no UTF-8 check needed
        return not values[v] and "is not one of the allowed values." or nil
    end
    if v:find("\0", 1, true) or not ngx.re.find(v, "^", "jou") then
        return "is not valid UTF-8 text."   -- "u": PCRE checks the UTF-8
    end
    -- bytes >= characters: count characters only when the bytes are many
    if #v > max and select(2, v:gsub("[^\128-\191]", "")) > max then
        return "is too long."
    end
    if class == "kloter" and v:find("[^%w/%-]")
        or class == "phone" and v:find("[^%d+ ()%-]")
        or class == "email" and (v:find("[%z\1- \127]")
            or select(2, v:gsub("@", "")) ~= 1
            or v:sub(1, 1) == "@" or v:sub(-1) == "@") then
        return "contains characters that are not allowed."
    end
end

local byte = string.byte
local SPACE = { [9] = true, [10] = true, [32] = true }

-- CR LF and lone CR become LF; spaces, tabs and line feeds around go
-- (byte loops and plain finds: LuaJIT compiles them; in a first version
-- the patterns "^[ \t\n]*(.-)[ \t\n]*$" and "[\\\t\n]" on every value
-- took about half of the handler's time)
local function tidy(v)
    if v:find("\r", 1, true) then v = v:gsub("\r\n?", "\n") end
    local i, j = 1, #v
    while i <= j and SPACE[byte(v, i)] do i = i + 1 end
    while j >= i and SPACE[byte(v, j)] do j = j - 1 end
    return (i == 1 and j == #v) and v or v:sub(i, j)
end

-- the value as one field of a record line
local function escape(v)
    if v:find("\\", 1, true) or v:find("\t", 1, true) or v:find("\n", 1, true) then
        return (v:gsub("[\\\t\n]", ESCAPES))
    end
    return v
end

local function reply(status, body)
    ngx.status = status
    ngx.header["Content-Type"] = "application/json; charset=utf-8"
    ngx.print(body)
    return ngx.exit(status)
end

-- 12 Crockford base32 symbols from 12 random bytes: XXXX-XXXX-XXXX
local function new_kode()
    local b = urandom:read(12)
    local s = {}
    for i = 1, 12 do
        local n = b:byte(i) % 32 + 1
        s[#s + 1] = CROCKFORD:sub(n, n)
        if i == 4 or i == 8 then s[#s + 1] = "-" end
    end
    return table.concat(s)
end

function M.handle(mode)
    ngx.req.read_body()
    local args, err = ngx.req.get_post_args(256)
    if not args then
        return reply(400, '{"error":"unreadable body"}\n')
    end

    local line, errors = {}, {}
    for i, field in ipairs(FIELDS) do
        local name, v = field[1], args[field[1]]
        local why
        if type(v) == "table" then
            why, v = "was given more than once.", ""
        else
            v = type(v) == "string" and tidy(v) or ""  -- true: no "="
            if v == "" then
                why = field[2] and "is required." or nil
            else
                why = check(field, v)
            end
        end
        if why then errors[#errors + 1] = name .. " " .. why end
        line[i + 2] = escape(v)
    end
    if #errors > 0 then
        return reply(400, '{"errors":["' .. table.concat(errors, '","') .. '"]}\n')
    end

    local now = ngx.now()
    line[1] = new_kode()
    local utc = ngx.utctime()  -- "2026-06-01 08:30:00", nginx's cached clock
    line[2] = utc:sub(1, 10) .. "T" .. utc:sub(12)
        .. string.format(".%03dZ", math.floor(now * 1000) % 1000)
    local record = table.concat(line, "\t") .. "\n"

    if mode == "fsync" then
        if not M.append_sync(fsync_fd, record) then
            return reply(503, '{"error":"not stored"}\n')
        end
    elseif mode == "thread" then
        local ok, stored = ngx.run_worker_thread("luasync", "intake",
            "append_sync", thread_fd, record)
        if not (ok and stored) then
            ngx.log(ngx.ERR, "intake: not stored: ", stored)
            return reply(503, '{"error":"not stored"}\n')
        end
    else
        local ok = flush_file:write(record)
        if not ok or not flush_file:flush() then
            return reply(503, '{"error":"not stored"}\n')
        end
    end
    return reply(201, '{"kode":"' .. line[1] .. '","status":"diterima"}\n')
end

return M
