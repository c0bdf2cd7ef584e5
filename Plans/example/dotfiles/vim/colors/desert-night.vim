" desert-night: a tiny example colour scheme
hi clear
let g:colors_name = "desert-night"
hi Normal guifg=#e0d8c0 guibg=#1c1b19
