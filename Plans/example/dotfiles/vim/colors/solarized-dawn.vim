" solarized-dawn: a tiny example colour scheme
hi clear
let g:colors_name = "solarized-dawn"
hi Normal guifg=#586e75 guibg=#fdf6e3
