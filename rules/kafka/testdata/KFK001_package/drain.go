package events

import "log"

func (p *Publisher) drainErrors() {
	for err := range p.producer.Errors() {
		log.Println("publish failed:", err)
	}
}

func (t *Tracker) run() {
	for err := range t.Errors() {
		log.Println(err)
	}
}
