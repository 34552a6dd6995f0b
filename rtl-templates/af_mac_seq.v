// af_mac_seq: compute sequencer of one array step (docs/template.md section 5, "Compute").
// Latches a STEP descriptor at `start` and walks the lock-step PE tile (extents `le`, the largest
// PE tile of the step) one point per cycle: prod(le) cycles. Broadcasts the L1 word addresses of
// W, I and O (dense layouts on the lock-step extents, the same for every PE) and per-row /
// per-column activity: the last active row (col) has a clipped extent `lastr` (`lastc`) along
// ROW_DIM (COL_DIM) and is masked off beyond it; rows >= nar are idle.
// L1 layouts: W [G][K][C][R][S], I [N][G][C][H][W] with H = (Y-1)*sy + R, W = (X-1)*sx + S,
// O [N][G][K][Y][X].
module af_mac_seq #(
    parameter ROWS = 2,
    parameter COLS = 2,
    parameter ROW_DIM = 3,
    parameter COL_DIM = 2,
    parameter STEP_W = 330,
    parameter TILE_W = 163
) (
    input  wire              clk,
    input  wire              rst,
    input  wire              start,
    input  wire [STEP_W-1:0] desc,
    /* verilator lint_off UNUSEDSIGNAL */
    input  wire [TILE_W-1:0] tile,
    /* verilator lint_on UNUSEDSIGNAL */
    output reg               busy,
    output wire              fin,      // not busy in the next cycle (unless started again)
    output wire [ROWS-1:0]   row_act,
    output wire [COLS-1:0]   col_act,
    output reg               hw,
    output reg               hi,
    output reg               ho,
    output wire [15:0]       wa,
    output wire [15:0]       ia,
    output wire [15:0]       oa,
    output wire [23:0]       inc_macs  // MACs performed this cycle (active PEs)
);
    // STEP / TILE field positions (see INTERFACES.md section 7 and af_ctrl.v).
    localparam integer S_LE = 128, S_NAR = 256, S_NAC = 264, S_LASTR = 272, S_LASTC = 288,
                       S_HW = 304, S_HI = 305, S_HO = 306;
    localparam integer T_SY = 131, T_SX = 147;

    reg [15:0] le [0:7];
    reg [15:0] cnt [0:7];
    reg [31:0] sw [0:7];   // address stride of each loop dim, per tensor
    reg [31:0] si [0:7];
    reg [31:0] so [0:7];
    reg [7:0]  nar, nac;
    reg [15:0] lastr, lastc;

    // Strides from the descriptor (combinational on the bus, latched at start).
    wire [15:0] d_le [0:7];
    genvar g;
    generate
        for (g = 0; g < 8; g = g + 1) begin : g_le
            assign d_le[g] = desc[S_LE + 16*g +: 16];
        end
    endgenerate
    wire [31:0] sy = {16'd0, tile[T_SY +: 16]};
    wire [31:0] sx = {16'd0, tile[T_SX +: 16]};
    wire [31:0] lG = {16'd0, d_le[1]}, lK = {16'd0, d_le[2]},
                lC = {16'd0, d_le[3]}, lY = {16'd0, d_le[4]}, lX = {16'd0, d_le[5]},
                lR = {16'd0, d_le[6]}, lS = {16'd0, d_le[7]};
    // weights
    wire [31:0] wS = 32'd1, wR = lS, wC = lR * lS, wK = lC * wC, wG = lK * wK;
    // inputs
    wire [31:0] iWd = (lX - 32'd1) * sx + lS;            // row length of the input window
    wire [31:0] iHd = (lY - 32'd1) * sy + lR;
    wire [31:0] iC = iHd * iWd, iG = lC * iC, iN = lG * iG;
    // outputs
    wire [31:0] oY = lX, oK = lY * lX, oG = lK * oK, oN = lG * oG;

    reg last_pt;
    always @(*) begin : c_0
        integer d;
        last_pt = 1'b1;
        for (d = 0; d < 8; d = d + 1)
            if (cnt[d] != le[d] - 16'd1) last_pt = 1'b0;
    end
    assign fin = !busy || last_pt;

    always @(posedge clk) begin : p_1
        integer d;
        if (rst) begin
            busy <= 1'b0;
            hw <= 1'b0; hi <= 1'b0; ho <= 1'b0;
            nar <= 8'd0; nac <= 8'd0; lastr <= 16'd0; lastc <= 16'd0;
            for (d = 0; d < 8; d = d + 1) begin
                le[d] <= 16'd1; cnt[d] <= 16'd0;
                sw[d] <= 32'd0; si[d] <= 32'd0; so[d] <= 32'd0;
            end
        end else if (start) begin
            busy <= 1'b1;
            hw <= desc[S_HW]; hi <= desc[S_HI]; ho <= desc[S_HO];
            nar <= desc[S_NAR +: 8]; nac <= desc[S_NAC +: 8];
            lastr <= desc[S_LASTR +: 16]; lastc <= desc[S_LASTC +: 16];
            for (d = 0; d < 8; d = d + 1) begin
                le[d] <= d_le[d];
                cnt[d] <= 16'd0;
            end
            // N G K C Y X R S
            sw[0] <= 32'd0; sw[1] <= wG;  sw[2] <= wK;  sw[3] <= wC;
            sw[4] <= 32'd0; sw[5] <= 32'd0; sw[6] <= wR; sw[7] <= wS;
            si[0] <= iN;   si[1] <= iG;  si[2] <= 32'd0; si[3] <= iC;
            si[4] <= sy * iWd; si[5] <= sx; si[6] <= iWd; si[7] <= 32'd1;
            so[0] <= oN;   so[1] <= oG;  so[2] <= oK;  so[3] <= 32'd0;
            so[4] <= oY;   so[5] <= 32'd1; so[6] <= 32'd0; so[7] <= 32'd0;
        end else if (busy) begin
            if (last_pt) begin
                busy <= 1'b0;
            end else begin : adv
                // odometer, S innermost
                reg carry;
                carry = 1'b1;
                for (d = 7; d >= 0; d = d - 1) begin
                    if (carry) begin
                        if (cnt[d] == le[d] - 16'd1) begin
                            cnt[d] <= 16'd0;
                        end else begin
                            cnt[d] <= cnt[d] + 16'd1;
                            carry = 1'b0;
                        end
                    end
                end
            end
        end
    end

    // Addresses: dot products of the counters with the strides.
    reg [31:0] a_w, a_i, a_o;
    always @(*) begin : c_2
        integer d;
        a_w = 32'd0; a_i = 32'd0; a_o = 32'd0;
        for (d = 0; d < 8; d = d + 1) begin
            a_w = a_w + {16'd0, cnt[d]} * sw[d];
            a_i = a_i + {16'd0, cnt[d]} * si[d];
            a_o = a_o + {16'd0, cnt[d]} * so[d];
        end
    end
    assign wa = a_w[15:0];
    assign ia = a_i[15:0];
    assign oa = a_o[15:0];

    // Activity: rows < nar-1 are full; row nar-1 is clipped to lastr along ROW_DIM.
    wire row_edge_in = cnt[ROW_DIM] < lastr;
    wire col_edge_in = cnt[COL_DIM] < lastc;
    // With ROWS (COLS) = 255, `r + 1 < nar` is constant false for the last row r = 254 (nar is
    // 8 bits, at most 255): that row is only ever active as the edge row. Correct, so the
    // constant comparison is waived.
    genvar r;
    generate
        /* verilator lint_off CMPCONST */
        for (r = 0; r < ROWS; r = r + 1) begin : g_ra
            assign row_act[r] = busy && ((r + 1 < nar) || ((r + 1 == nar) && row_edge_in));
        end
        for (r = 0; r < COLS; r = r + 1) begin : g_ca
            assign col_act[r] = busy && ((r + 1 < nac) || ((r + 1 == nac) && col_edge_in));
        end
        /* verilator lint_on CMPCONST */
    endgenerate
    wire [7:0] nra = row_edge_in ? nar : nar - 8'd1;
    wire [7:0] nca = col_edge_in ? nac : nac - 8'd1;
    wire [15:0] nmac = {8'd0, nra} * {8'd0, nca};
    assign inc_macs = busy ? {8'd0, nmac} : 24'd0;
endmodule
